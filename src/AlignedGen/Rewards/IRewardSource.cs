namespace AlignedGen.Rewards;

/// <summary>
/// A reward: scores (prompt, response) pairs, batch-first. One call scores many prompts times many responses;
/// the returned array has one finite score per query, in query order.
/// </summary>
public interface IRewardSource
{
    /// <summary>A short name used in errors, reports and result columns.</summary>
    string Name { get; }

    /// <summary>
    /// Scores every query: one score per query, in order. Callers validate the scores with
    /// <see cref="RewardChecks.ScoreChecked"/> (the one place that does), so a source returns them raw.
    /// </summary>
    float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default);
}
