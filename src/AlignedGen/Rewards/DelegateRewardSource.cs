namespace AlignedGen.Rewards;

/// <summary>
/// A reward source backed by user code: a per-query function or a batch function. Its scores are returned raw and
/// validated by the caller like any other source's (<see cref="RewardChecks.ScoreChecked"/>: count, finite values).
/// </summary>
public sealed class DelegateRewardSource : IRewardSource
{
    private readonly Func<RewardQuery, float>? _perQuery;
    private readonly Func<IReadOnlyList<RewardQuery>, float[]>? _batch;

    private DelegateRewardSource(string name, Func<RewardQuery, float>? perQuery, Func<IReadOnlyList<RewardQuery>, float[]>? batch)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A reward source needs a non-empty name (it appears in errors and result columns).", nameof(name));
        Name = name;
        _perQuery = perQuery;
        _batch = batch;
    }

    /// <summary>A source that calls <paramref name="score"/> once per query.</summary>
    public static DelegateRewardSource PerQuery(string name, Func<RewardQuery, float> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateRewardSource(name, score, null);
    }

    /// <summary>A source that calls <paramref name="scoreBatch"/> once per <see cref="Score"/> call with all queries; it must return one score per query.</summary>
    public static DelegateRewardSource Batched(string name, Func<IReadOnlyList<RewardQuery>, float[]> scoreBatch)
    {
        ArgumentNullException.ThrowIfNull(scoreBatch);
        return new DelegateRewardSource(name, null, scoreBatch);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        RewardChecks.ValidateQueries(queries);
        cancellationToken.ThrowIfCancellationRequested();
        float[] scores;
        if (_perQuery is not null)
        {
            scores = new float[queries.Count];
            for (var i = 0; i < scores.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scores[i] = _perQuery(queries[i]);
            }
        }
        else
        {
            scores = _batch!(queries);
        }
        return scores;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
