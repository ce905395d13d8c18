namespace AlignedGen.Rewards;

/// <summary>
/// A reward: scores (prompt, response) pairs, batch-first. One call scores many prompts times many responses;
/// the returned array has one finite score per query, in query order.
/// </summary>
public interface IRewardSource
{
    /// <summary>A short name used in errors, reports and result columns.</summary>
    string Name { get; }

    /// <summary>Scores every query. Throws <see cref="RewardSourceException"/> naming the source and row on a bad score.</summary>
    float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default);
}
