using System.Globalization;

namespace AlignedGen.Rewards;

/// <summary>
/// A weighted sum of reward sources: <c>R = Σ weight_i · normalise_i(score_i)</c>, computed in double precision.
/// Each component is scored once per call on all queries (batched by the component itself).
/// </summary>
public sealed class CompositeRewardSource : IRewardSource
{
    private readonly RewardComponent[] _components;

    /// <summary>Combines <paramref name="components"/> (at least one); <paramref name="name"/> defaults to a description of the sum.</summary>
    public CompositeRewardSource(IEnumerable<RewardComponent> components, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        _components = components.ToArray();
        if (_components.Length == 0)
            throw new ArgumentException("A composite reward needs at least one component.", nameof(components));
        for (var i = 0; i < _components.Length; i++)
        {
            if (_components[i] is null)
                throw new ArgumentException($"Component {i} is null.", nameof(components));
        }
        if (name is not null && string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("The name cannot be blank; pass null for the default.", nameof(name));
        Name = name ?? DescribeSum(_components);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The components, in order.</summary>
    public IReadOnlyList<RewardComponent> Components => _components;

    /// <inheritdoc />
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        // Each component's scores are checked once, here (the caller checks the sum).
        return Combine(ScoreComponents(queries, cancellationToken));
    }

    /// <summary>The raw (unnormalised, unweighted) scores of every component: one array per component, one score per query.</summary>
    public float[][] ScoreComponents(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        RewardChecks.ValidateQueries(queries);
        var raw = new float[_components.Length][];
        for (var c = 0; c < _components.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            raw[c] = RewardChecks.ScoreChecked(_components[c].Source, queries, cancellationToken);
        }
        return raw;
    }

    /// <summary>Combines raw component scores (as <see cref="ScoreComponents"/> returns them) into the weighted sum.</summary>
    public float[] Combine(IReadOnlyList<float[]> componentScores)
    {
        ArgumentNullException.ThrowIfNull(componentScores);
        if (componentScores.Count != _components.Length)
            throw new ArgumentException($"Expected {_components.Length} score arrays (one per component), got {componentScores.Count}.", nameof(componentScores));
        var n = componentScores[0]?.Length ?? throw new ArgumentException("Score array 0 is null.", nameof(componentScores));
        var sums = new double[n];
        for (var c = 0; c < _components.Length; c++)
        {
            var scores = componentScores[c] ?? throw new ArgumentException($"Score array {c} is null.", nameof(componentScores));
            if (scores.Length != n)
                throw new ArgumentException($"Score array {c} has {scores.Length} scores, array 0 has {n}.", nameof(componentScores));
            var weight = _components[c].Weight;
            var normalization = _components[c].Normalization;
            for (var i = 0; i < n; i++)
                sums[i] += weight * normalization.Apply(scores[i]);
        }
        var result = new float[n];
        for (var i = 0; i < n; i++)
            result[i] = (float)sums[i];
        return result;
    }

    /// <summary>Scores <paramref name="sample"/> with every component and returns each component's raw-score statistics, in component order.</summary>
    public IReadOnlyList<RewardStatistics> EstimateStatistics(IReadOnlyList<RewardQuery> sample, CancellationToken cancellationToken = default)
    {
        var raw = ScoreComponents(sample, cancellationToken);
        var stats = new RewardStatistics[raw.Length];
        for (var c = 0; c < raw.Length; c++)
        {
            try
            {
                stats[c] = RewardStatistics.FromScores(raw[c]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Component {c} ('{_components[c].Source.Name}'): {e.Message}", nameof(sample), e);
            }
        }
        return stats;
    }

    /// <summary>A copy whose components use z-score normalisation with the given statistics (one per component), weights unchanged.</summary>
    public CompositeRewardSource WithZScores(IReadOnlyList<RewardStatistics> statistics, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Count != _components.Length)
            throw new ArgumentException($"Expected {_components.Length} statistics (one per component), got {statistics.Count}.", nameof(statistics));
        var components = new RewardComponent[_components.Length];
        for (var c = 0; c < components.Length; c++)
            components[c] = _components[c] with { Normalization = RewardNormalization.ZScore(statistics[c]) };
        return new CompositeRewardSource(components, name);
    }

    /// <summary>Estimates every component's statistics on <paramref name="sample"/> and returns a z-score-normalised copy (see <see cref="EstimateStatistics"/>).</summary>
    public CompositeRewardSource FitZScores(IReadOnlyList<RewardQuery> sample, CancellationToken cancellationToken = default)
        => WithZScores(EstimateStatistics(sample, cancellationToken));

    /// <inheritdoc />
    public override string ToString() => Name;

    private static string DescribeSum(RewardComponent[] components)
    {
        var parts = new string[components.Length];
        for (var i = 0; i < components.Length; i++)
            parts[i] = string.Create(CultureInfo.InvariantCulture, $"{components[i].Weight:G4}*{components[i].Source.Name}");
        return string.Join(" + ", parts);
    }
}
