namespace AlignedGen.Decoding;

/// <summary>ARGS settings (Khanov et al., ICLR 2024). Validated on creation; defaults from <see cref="AlignedGenDefaults"/>.</summary>
public sealed record ArgsOptions
{
    public ArgsOptions(int topK = AlignedGenDefaults.ArgsTopK, double weight = AlignedGenDefaults.ArgsWeight,
        bool stochastic = false, double temperature = AlignedGenDefaults.ArgsTemperature)
    {
        if (topK < 1)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"ARGS top-k must be at least 1, got {topK}. The paper uses 10.");
        if (!double.IsFinite(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"ARGS reward weight w must be a finite number, got {weight}. The paper uses 1.0 (1.5 on HH-RLHF).");
        if (stochastic && (!double.IsFinite(temperature) || temperature <= 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"ARGS-stochastic needs a temperature above 0, got {temperature}. The paper uses 0.7.");
        TopK = topK;
        Weight = weight;
        Stochastic = stochastic;
        Temperature = temperature;
    }

    /// <summary>Candidates per step: the LM's top-k next tokens.</summary>
    public int TopK { get; }
    /// <summary>Reward weight w in score = logit + w · reward.</summary>
    public double Weight { get; }
    /// <summary>False: argmax of the score (ARGS-greedy). True: sample from softmax(score / T) (ARGS-stochastic).</summary>
    public bool Stochastic { get; }
    /// <summary>Temperature of ARGS-stochastic.</summary>
    public double Temperature { get; }

    /// <summary>The paper's defaults: k = 10, w = 1.0, greedy.</summary>
    public static ArgsOptions Default { get; } = new();

    /// <summary>"args" (or "args-greedy"): the best-scoring candidate each step. Its temperature is unused and not written.</summary>
    public static StrategyDescriptor<ArgsOptions> GreedyDescriptor { get; } = new(
        "args", "ARGS-greedy: the top-k tokens scored by logit + w * reward, the best taken; needs a reward",
        new[] { WeightParameter, CandidateCountParameter },
        a => new ArgsOptions(a.Integer("k"), a.Number("w")), o => new ArgsStrategy(o),
        family: "args-greedy", aliases: new[] { "args-greedy" }, describes: o => !o.Stochastic, whyNotWritable: _ => null);

    /// <summary>"args-stochastic": a candidate sampled from softmax(score / t) each step.</summary>
    public static StrategyDescriptor<ArgsOptions> StochasticDescriptor { get; } = new(
        "args-stochastic", "ARGS-stochastic: the top-k tokens scored by logit + w * reward, one sampled at temperature t; needs a reward",
        new[] { WeightParameter, CandidateCountParameter, SamplingOptions.TemperatureParameter<ArgsOptions>(o => o.Temperature) },
        a => new ArgsOptions(a.Integer("k"), a.Number("w"), stochastic: true, temperature: a.Number("t")), o => new ArgsStrategy(o),
        describes: o => o.Stochastic);

    private static StrategyParameter WeightParameter
        => StrategyParameter.Number<ArgsOptions>("w", "Weight", AlignedGenDefaults.ArgsWeight, "reward weight", o => o.Weight, primary: true);

    private static StrategyParameter CandidateCountParameter
        => StrategyParameter.Integer<ArgsOptions>("k", "CandidateCount", AlignedGenDefaults.ArgsTopK, "candidates per step", o => o.TopK);
}
