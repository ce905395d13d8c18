namespace AlignedGen.Decoding;

/// <summary>What one result cost: LM and reward-model calls and tokens, and wall time. Shared batch work is split evenly over the batch's prompts.</summary>
public sealed record GenerationCost
{
    /// <summary>LM forward calls (a batched call counts once for the batch, then is shared out).</summary>
    public double LmCalls { get; init; }
    /// <summary>Token positions the LM evaluated (padding included).</summary>
    public double LmTokens { get; init; }
    /// <summary>Reward-model calls.</summary>
    public double RewardCalls { get; init; }
    /// <summary>Token positions (or texts, for text rewards) the reward model evaluated.</summary>
    public double RewardTokens { get; init; }
    /// <summary>Wall time attributed to this result: its share of its batch's time (rows decode together; see <see cref="BatchElapsed"/>).</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Wall time of the whole batch this result was decoded in.</summary>
    public TimeSpan BatchElapsed { get; init; }
    /// <summary>Rows in that batch.</summary>
    public int BatchRows { get; init; }
}
