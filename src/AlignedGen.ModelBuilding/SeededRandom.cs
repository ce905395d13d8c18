namespace AlignedGen.ModelBuilding;

/// <summary>
/// SplitMix64: a tiny PRNG whose sequence is fixed by this code (unlike System.Random, whose algorithm is not a
/// contract), so built weights are the same bytes on every run and every .NET version.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal sample (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="values"/> with uniform samples on [-limit, limit], two per 64 random bits (fast enough for billions of weights).</summary>
    public void FillUniform(Span<float> values, double limit)
    {
        const double Unit = 1.0 / (1UL << 32);
        int i = 0;
        for (; i + 1 < values.Length; i += 2)
        {
            ulong bits = NextUInt64();
            values[i] = (float)(((uint)bits * Unit * 2 - 1) * limit);
            values[i + 1] = (float)(((bits >> 32) * Unit * 2 - 1) * limit);
        }
        if (i < values.Length) values[i] = (float)(((uint)NextUInt64() * Unit * 2 - 1) * limit);
    }

    /// <summary>Fills a new array with normal samples of the given standard deviation.</summary>
    public float[] Gaussian(int count, double std)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (float)(NextGaussian() * std);
        return values;
    }
}
