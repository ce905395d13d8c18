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
}
