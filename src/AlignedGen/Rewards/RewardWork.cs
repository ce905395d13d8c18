namespace AlignedGen.Rewards;

/// <summary>Work a reward source did: model calls and token positions (or texts scored, for text rewards).</summary>
public sealed class RewardWork
{
    /// <summary>Reward-model calls.</summary>
    public long Calls { get; set; }
    /// <summary>Token positions evaluated (padding included), or items scored for models without tokens.</summary>
    public long Tokens { get; set; }
}
