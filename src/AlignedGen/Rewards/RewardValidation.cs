namespace AlignedGen.Rewards;

/// <summary>
/// Checks shared by every reward source: the queries a caller passes and the scores a source returns.
/// Public so that custom <see cref="IRewardSource"/> implementations and wrappers can apply the same rules.
/// </summary>
public static class RewardValidation
{
    /// <summary>Throws <see cref="ArgumentNullException"/> / <see cref="ArgumentException"/> naming the row when the list, a query, its prompt or its response is null.</summary>
    public static void ValidateQueries(IReadOnlyList<RewardQuery> queries, string paramName = "queries")
    {
        ArgumentNullException.ThrowIfNull(queries, paramName);
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            if (q is null)
                throw new ArgumentException($"Query {i} is null. Fix: pass a RewardQuery for every row.", paramName);
            if (q.Prompt is null)
                throw new ArgumentException($"Query {i} has a null Prompt. Fix: use \"\" for an empty prompt.", paramName);
            if (q.Response is null)
                throw new ArgumentException($"Query {i} has a null Response. Fix: use \"\" for an empty response.", paramName);
        }
    }

    /// <summary>
    /// Throws <see cref="RewardSourceException"/> when <paramref name="scores"/> is null, has a count other than
    /// <paramref name="queryCount"/>, or holds a NaN or infinite value (the row is named).
    /// </summary>
    public static void EnsureValidScores(string sourceName, float[]? scores, int queryCount)
    {
        if (scores is null)
            throw new RewardSourceException(sourceName, null, $"returned no score array for {queryCount} queries.");
        if (scores.Length != queryCount)
            throw new RewardSourceException(sourceName, null, $"returned {scores.Length} scores for {queryCount} queries; a source must return exactly one score per query.");
        for (var i = 0; i < scores.Length; i++)
        {
            if (!float.IsFinite(scores[i]))
                throw new RewardSourceException(sourceName, i, $"score is {scores[i]}; scores must be finite.");
        }
    }
}
