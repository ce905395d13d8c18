using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// TokenSampler against a plain oracle written from the definition (every index sorted by value descending, lower index
/// first on ties; top-k; softmax with temperature; the shortest prefix reaching top-p; a draw walking that order), on
/// hand-built logits: small rows (the heap path) and vocabulary-sized rows (the bucket path), with heavy ties.
/// </summary>
public sealed class TokenSamplerTests
{
    [Fact]
    public void ArgMaxAndTopKFollowTheOracleOrderWithTies()
    {
        var random = new Random(1);
        foreach (int size in new[] { 1, 7, 300, 5000 })
        {
            var logits = Logits(random, size, levels: 5);
            var order = Oracle.Order(logits);
            Assert.Equal(order[0], TokenSampler.ArgMax(logits));
            foreach (int k in new[] { 1, 3, 64 }.Where(k => k <= size))
            {
                var top = new int[k];
                TokenSampler.TopK(logits, top);
                Assert.Equal(order.Take(k), top);
            }
        }
        Assert.Throws<ArgumentException>(() => TokenSampler.ArgMax(ReadOnlySpan<float>.Empty));
    }

    [Theory]
    [InlineData(50, 0.7, 0, 1.0)]            // small rows: the heap path
    [InlineData(50, 1.0, 10, 0.8)]
    [InlineData(20_000, 0.7, 0, 1.0)]        // no filter on a large row: the bucket path
    [InlineData(20_000, 1.0, 0, 0.9)]
    [InlineData(20_000, 1.3, 5_000, 0.5)]
    [InlineData(151_936, 0.7, 0, 0.95)]      // Qwen2.5's vocabulary
    public void SampleDrawsWhatTheOracleDrawsFromTheSameRandomStream(int size, double temperature, int topK, double topP)
    {
        var options = new SamplingOptions(temperature, topK, topP);
        var random = new Random(size + topK);
        foreach (int levels in new[] { 0, 40 })   // 0: continuous values; 40: many exact ties
        {
            var logits = Logits(random, size, levels);
            var oracle = new Oracle(logits, options);
            var ours = new Random(17);
            var theirs = new Random(17);
            for (int draw = 0; draw < 100; draw++)
                Assert.Equal(oracle.Sample(theirs), TokenSampler.Sample(logits, options, ours));
        }
    }

    [Fact]
    public void FrequenciesMatchTheSoftmaxOnALargeRow()
    {
        // Five tokens carry almost all the mass; the rest of a 20k row is far below them.
        var logits = Enumerable.Repeat(-20f, 20_000).ToArray();
        int[] hot = [7, 4_000, 4_001, 17_777, 19_999];
        float[] values = [2f, 1.5f, 1f, 0.5f, 0f];
        for (int i = 0; i < hot.Length; i++) logits[hot[i]] = values[i];
        var options = new SamplingOptions(temperature: 1.0);
        var random = new Random(5);
        var counts = new Dictionary<int, int>();
        const int draws = 4_000;
        for (int i = 0; i < draws; i++)
        {
            var token = TokenSampler.Sample(logits, options, random);
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        double total = values.Sum(v => Math.Exp(v)) + (logits.Length - hot.Length) * Math.Exp(-20);
        for (int i = 0; i < hot.Length; i++)
        {
            double p = Math.Exp(values[i]) / total, expected = p * draws, sd = Math.Sqrt(draws * p * (1 - p));
            Assert.InRange(counts.GetValueOrDefault(hot[i]), expected - 5 * sd, expected + 5 * sd);
        }
    }

    [Fact]
    public void SamplingALargeRowAllocatesNothingInProportionToTheVocabulary()
    {
        var logits = Logits(new Random(3), 151_936, levels: 0);
        var options = new SamplingOptions(temperature: 0.7, topK: 0, topP: 0.9);
        var random = new Random(4);
        TokenSampler.Sample(logits, options, random);   // the thread's buffers are allocated once
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) TokenSampler.Sample(logits, options, random);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 16 * 1024, $"20 draws over 151,936 logits allocated {allocated} bytes");
    }

    [Fact]
    public void TemperatureZeroIsArgMaxAndBadInputIsRefused()
    {
        var logits = new float[] { 0.5f, 3f, 3f, -1f };
        Assert.Equal(1, TokenSampler.Sample(logits, SamplingOptions.Greedy, new Random(1)));
        Assert.Throws<ArgumentException>(() => TokenSampler.Sample(ReadOnlySpan<float>.Empty, new SamplingOptions(0.7), new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.SampleSoftmax(logits, 0, new Random(1)));
    }

    /// <summary>Random logits; with <paramref name="levels"/> &gt; 0 they take only that many distinct values (ties everywhere).</summary>
    private static float[] Logits(Random random, int size, int levels)
    {
        var logits = new float[size];
        for (int i = 0; i < size; i++)
        {
            double v = random.NextDouble() * 8 - 4;
            logits[i] = levels > 0 ? (float)(Math.Round(v * levels / 8) * 8 / levels) : (float)v;
        }
        return logits;
    }

    /// <summary>Sampling as defined, with a full sort: the reference the optimized sampler must reproduce.</summary>
    private sealed class Oracle
    {
        private readonly int[] _candidates;
        private readonly double[] _weights;

        public Oracle(float[] logits, SamplingOptions options)
        {
            var order = Order(logits);
            int k = options.TopK > 0 ? Math.Min(options.TopK, logits.Length) : logits.Length;
            var top = order.Take(k).ToArray();
            var weights = top.Select(i => Math.Exp((logits[i] - (double)logits[top[0]]) / options.Temperature)).ToArray();
            int n = k;
            if (options.TopP < 1)
            {
                double total = weights.Sum(), cumulative = 0;
                for (int i = 0; i < k; i++)
                {
                    cumulative += weights[i] / total;
                    if (cumulative >= options.TopP) { n = i + 1; break; }
                }
            }
            _candidates = top[..n];
            _weights = weights[..n];
        }

        public static int[] Order(float[] logits) =>
            Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();

        public int Sample(Random random)
        {
            double u = random.NextDouble() * _weights.Sum(), acc = 0;
            for (int i = 0; i < _candidates.Length; i++)
            {
                acc += _weights[i];
                if (u < acc) return _candidates[i];
            }
            return _candidates[^1];
        }
    }
}
