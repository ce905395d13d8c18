namespace AlignedGen.Rewards;

/// <summary>
/// The one place reward scores are validated, and the query checks every source shares. Sources return raw scores;
/// whoever calls a source — the strategies, the evaluator, a composite calling its components, the relabel job, the
/// adapters — calls it through <see cref="ScoreChecked"/>, so each score is checked exactly once. Public so that custom
/// callers and wrappers apply the same rules.
/// </summary>
public static class RewardChecks
{
    /// <summary>
    /// Scores <paramref name="queries"/> and throws <see cref="RewardSourceException"/> naming the source and row on a
    /// missing or wrong count, NaN or infinity. <paramref name="locate"/> names query i in errors (its row number and
    /// where it came from, e.g. an input line); default: its index and prompt.
    /// </summary>
    public static float[] ScoreChecked(IRewardSource source, IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default,
        Func<int, (int Row, string Where)>? locate = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var scores = source.Score(queries, cancellationToken);
        EnsureValidScores(source.Name, scores, queries, locate);
        return scores!;
    }

    /// <summary>
    /// Throws <see cref="RewardSourceException"/> when <paramref name="scores"/> is null, has a count other than the
    /// number of queries, or holds a NaN or infinite value (the row and where it came from are named, see <see cref="ScoreChecked"/>).
    /// </summary>
    public static void EnsureValidScores(string sourceName, float[]? scores, IReadOnlyList<RewardQuery> queries,
        Func<int, (int Row, string Where)>? locate = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        locate ??= i => (i, $"prompt \"{Shorten(queries[i]?.Prompt ?? "")}\"");
        var batch = queries.Count > 0 ? $" (the batch starts at {locate(0).Where})" : "";
        if (scores is null)
            throw new RewardSourceException(sourceName, null, $"returned no scores for {queries.Count} queries{batch}.");
        if (scores.Length != queries.Count)
            throw new RewardSourceException(sourceName, null, $"returned {scores.Length} scores for {queries.Count} queries{batch}; a reward source must return exactly one score per query.");
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsFinite(scores[i])) continue;
            var (row, where) = locate(i);
            throw new RewardSourceException(sourceName, row, $"returned {scores[i]} (not a finite number) for {where}.");
        }
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
