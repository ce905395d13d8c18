namespace AlignedGen.Decoding;

/// <summary>Progress of a generation run: prompts completed out of the total, tokens generated, elapsed time.</summary>
public sealed record GenerationProgress(int Completed, int Total, long GeneratedTokens, TimeSpan Elapsed)
{
    /// <summary>0–100.</summary>
    public double Percent => Total == 0 ? 100 : 100.0 * Completed / Total;
}
