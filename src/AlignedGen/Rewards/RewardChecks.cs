namespace AlignedGen.Rewards;

/// <summary>
/// Checks shared by every reward source and caller: the queries passed in and the scores returned (one finite score
/// per query). Public so that custom <see cref="IRewardSource"/> implementations and wrappers apply the same rules.
/// </summary>
public static class RewardChecks
{
    /// <summary>Scores <paramref name="queries"/> and throws <see cref="RewardSourceException"/> naming the source and row on a wrong count, NaN or infinity.</summary>
    public static float[] ScoreChecked(IRewardSource source, IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var scores = source.Score(queries, cancellationToken);
        EnsureValidScores(source.Name, scores, queries);
        return scores!;
    }

    /// <summary>
    /// Throws <see cref="RewardSourceException"/> when <paramref name="scores"/> is null, has a count other than the
    /// number of queries, or holds a NaN or infinite value (the row and its prompt are named).
    /// </summary>
    public static void EnsureValidScores(string sourceName, float[]? scores, IReadOnlyList<RewardQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (scores is null)
            throw new RewardSourceException(sourceName, null, $"returned no scores for {queries.Count} queries.");
        if (scores.Length != queries.Count)
            throw new RewardSourceException(sourceName, null, $"returned {scores.Length} scores for {queries.Count} queries; a reward source must return exactly one score per query.");
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsFinite(scores[i]))
                throw new RewardSourceException(sourceName, i, $"returned {scores[i]} (not a finite number) for prompt \"{Shorten(queries[i]?.Prompt ?? "")}\".");
    }

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

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
