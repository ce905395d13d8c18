namespace AlignedGen.Rewards;

/// <summary>The features behind one proxy reward: the prepared response, LI, RP, Rel, which formula applied, and the reward.</summary>
public sealed record ProxyRewardBreakdown(
    string PreparedResponse,
    double LengthIncentive,
    double RepetitionPenalty,
    double Relevance,
    bool Constrained,
    double Reward);
