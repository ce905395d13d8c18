namespace AlignedGen.Decoding;

/// <summary>Token sampling settings. Temperature 0 means greedy. Validated on creation.</summary>
public sealed record SamplingOptions
{
    public SamplingOptions(double temperature = AlignedGenDefaults.Temperature, int topK = AlignedGenDefaults.SamplingTopK,
        double topP = AlignedGenDefaults.TopP)
    {
        if (double.IsNaN(temperature) || temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"Temperature must be 0 (greedy) or more, got {temperature}. Use e.g. 0.7.");
        if (topK < 0)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"Top-k must be 0 (off) or more, got {topK}.");
        if (double.IsNaN(topP) || topP <= 0 || topP > 1)
            throw new ArgumentOutOfRangeException(nameof(topP), topP, $"Top-p must be in (0, 1], got {topP}. Use 1 to turn nucleus sampling off.");
        Temperature = temperature;
        TopK = topK;
        TopP = topP;
    }

    /// <summary>Softmax temperature; 0 = greedy (argmax).</summary>
    public double Temperature { get; }
    /// <summary>Keep only the k most likely tokens (0 = all).</summary>
    public int TopK { get; }
    /// <summary>Keep the smallest set of tokens whose probability reaches p (1 = all).</summary>
    public double TopP { get; }

    /// <summary>Greedy decoding (temperature 0).</summary>
    public static SamplingOptions Greedy { get; } = new(temperature: 0);

    /// <summary>"greedy": the most likely token each step; no keys.</summary>
    public static StrategyDescriptor<SamplingOptions> GreedyDescriptor { get; } = new(
        "greedy", "the most likely token each step; no reward", Array.Empty<StrategyParameter>(),
        _ => Greedy, o => new SamplingStrategy(o), describes: o => o == Greedy);

    /// <summary>"sample": temperature, top-k and top-p sampling.</summary>
    public static StrategyDescriptor<SamplingOptions> SampleDescriptor { get; } = new(
        "sample", "temperature / top-k / top-p sampling; no reward",
        new[] { TemperatureParameter<SamplingOptions>(o => o.Temperature, primary: true), TopKParameter<SamplingOptions>(o => o.TopK), TopPParameter<SamplingOptions>(o => o.TopP) },
        a => FromArguments(a), o => new SamplingStrategy(o));

    /// <summary>Sampling options from the "t", "top-k" and "top-p" values of a strategy that samples.</summary>
    internal static SamplingOptions FromArguments(StrategyArguments a, bool topP = true)
        => new(a.Number("t"), a.Integer("top-k"), topP ? a.Number("top-p") : AlignedGenDefaults.TopP);

    /// <summary>The "t" parameter (Temperature) of strategies that sample.</summary>
    internal static StrategyParameter TemperatureParameter<TOptions>(Func<TOptions, double> read, bool primary = false)
        => StrategyParameter.Number("t", "Temperature", AlignedGenDefaults.Temperature, "sampling temperature", read, primary);

    /// <summary>The "top-k" parameter (TopK) of strategies that sample: keep the k most likely tokens.</summary>
    internal static StrategyParameter TopKParameter<TOptions>(Func<TOptions, int> read, int defaultValue = AlignedGenDefaults.SamplingTopK)
        => StrategyParameter.Integer("top-k", "TopK", defaultValue, "sampling top-k (0 = off)", read);

    /// <summary>The "top-p" parameter (TopP) of strategies that sample.</summary>
    internal static StrategyParameter TopPParameter<TOptions>(Func<TOptions, double> read)
        => StrategyParameter.Number("top-p", "TopP", AlignedGenDefaults.TopP, "nucleus top-p (1 = off)", read);
}
