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
}
