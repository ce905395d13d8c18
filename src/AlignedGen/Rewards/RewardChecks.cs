namespace AlignedGen.Rewards;

/// <summary>Calls a reward source and checks what it returned: one finite score per query.</summary>
public static class RewardChecks
{
    /// <summary>Scores <paramref name="queries"/> and throws <see cref="RewardSourceException"/> naming the source and row on a wrong count, NaN or infinity.</summary>
    public static float[] ScoreChecked(IRewardSource source, IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        var scores = source.Score(queries, cancellationToken)
            ?? throw new RewardSourceException(source.Name, null, $"returned no scores for {queries.Count} queries.");
        if (scores.Length != queries.Count)
            throw new RewardSourceException(source.Name, null, $"returned {scores.Length} scores for {queries.Count} queries; a reward source must return exactly one score per query.");
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsFinite(scores[i]))
                throw new RewardSourceException(source.Name, i, $"returned {scores[i]} (not a finite number) for prompt \"{Shorten(queries[i].Prompt)}\".");
        return scores;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
