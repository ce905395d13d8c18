namespace AlignedGen.Decoding;

/// <summary>Best-of-N settings: N samples per prompt with these sampling settings, all scored, best kept. Validated on creation.</summary>
public sealed record BestOfNOptions
{
    public BestOfNOptions(int n = AlignedGenDefaults.BestOfN, SamplingOptions? sampling = null, bool keepAll = false)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, $"Best-of-N needs N of at least 1, got {n}.");
        sampling ??= new SamplingOptions(temperature: AlignedGenDefaults.Temperature);
        if (sampling.Temperature == 0 && n > 1)
            throw new ArgumentOutOfRangeException(nameof(sampling), sampling.Temperature, "Best-of-N with temperature 0 would draw N identical greedy samples. Use a temperature above 0 (e.g. 0.7).");
        N = n;
        Sampling = sampling;
        KeepAll = keepAll;
    }

    /// <summary>Samples per prompt.</summary>
    public int N { get; }
    /// <summary>How each sample is drawn.</summary>
    public SamplingOptions Sampling { get; }
    /// <summary>Return every sample with its reward as <see cref="GenerationResult.Alternatives"/>.</summary>
    public bool KeepAll { get; }

    /// <summary>"best-of-n" (or "best-of-16"): N samples, the highest-reward one kept.</summary>
    public static StrategyDescriptor<BestOfNOptions> Descriptor { get; } = new(
        "best-of-n", "N samples per prompt, the highest-reward one kept; needs a reward",
        new[]
        {
            StrategyParameter.Integer<BestOfNOptions>("n", "N", AlignedGenDefaults.BestOfN, "samples per prompt", o => o.N, primary: true),
            SamplingOptions.TemperatureParameter<BestOfNOptions>(o => o.Sampling.Temperature),
            SamplingOptions.TopKParameter<BestOfNOptions>(o => o.Sampling.TopK),
            SamplingOptions.TopPParameter<BestOfNOptions>(o => o.Sampling.TopP),
            StrategyParameter.Flag<BestOfNOptions>("keep-all", "KeepAll", false, "return every sample as an alternative", o => o.KeepAll),
        },
        a => new BestOfNOptions(a.Integer("n"), SamplingOptions.FromArguments(a), a.Flag("keep-all")), o => new BestOfNStrategy(o),
        shorthandKey: "n");
}
