namespace AlignedGen.Decoding;

/// <summary>A strategy's answer for one prompt: the row that holds the response, its reward, and optionally scored alternatives.</summary>
public sealed record DecodingOutcome(SequenceRow Row, float? Reward = null)
{
    /// <summary>Reward-model work attributed to this prompt (calls, tokens).</summary>
    public double RewardCalls { get; init; }
    /// <summary>Reward-model token positions attributed to this prompt.</summary>
    public double RewardTokens { get; init; }
    /// <summary>Other candidates with rewards (Best-of-N keeping all samples).</summary>
    public IReadOnlyList<(SequenceRow Row, float Reward)> Alternatives { get; init; } = Array.Empty<(SequenceRow, float)>();
    /// <summary>How the strategy found the response (DARWIN's <see cref="DarwinTrace"/>), when it records one.</summary>
    public DecodingTrace? Trace { get; init; }
}
