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
    /// <summary>Wall time attributed to this result.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>How the run was shaped for this result, when it differed from the options (e.g. a batch split into sub-batches to fit the memory budget); null otherwise.</summary>
    public string? Note { get; init; }
}
