namespace AlignedGen.Rewards;

/// <summary>
/// Mean and standard deviation of a reward source's scores, for z-score normalisation
/// (<see cref="RewardNormalization.ZScore"/>). Given by the user or estimated on a sample of queries.
/// </summary>
public sealed record RewardStatistics
{
    /// <summary>Creates statistics; <paramref name="standardDeviation"/> must be finite and &gt; 0.</summary>
    public RewardStatistics(double mean, double standardDeviation, int count = 0)
    {
        if (!double.IsFinite(mean))
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        if (!double.IsFinite(standardDeviation) || standardDeviation <= 0)
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation,
                "The standard deviation must be finite and > 0. Fix: estimate on a sample whose scores vary, or use RewardNormalization.Affine.");
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The sample count cannot be negative.");
        Mean = mean;
        StandardDeviation = standardDeviation;
        Count = count;
    }

    /// <summary>Mean score.</summary>
    public double Mean { get; }

    /// <summary>Population standard deviation of the scores (as numpy.std).</summary>
    public double StandardDeviation { get; }

    /// <summary>Number of scores the statistics were estimated from (0 when given by the user).</summary>
    public int Count { get; }

    /// <summary>Mean and population standard deviation of <paramref name="scores"/> (at least two distinct values needed).</summary>
    public static RewardStatistics FromScores(ReadOnlySpan<float> scores)
    {
        if (scores.Length < 2)
            throw new ArgumentException($"Need at least 2 scores to estimate statistics, got {scores.Length}. Fix: use a larger sample.", nameof(scores));
        double sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!float.IsFinite(scores[i]))
                throw new ArgumentException($"Score {i} is {scores[i]}; statistics need finite scores.", nameof(scores));
            sum += scores[i];
        }
        var mean = sum / scores.Length;
        double squares = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var d = scores[i] - mean;
            squares += d * d;
        }
        var std = Math.Sqrt(squares / scores.Length);
        if (std <= 0)
            throw new ArgumentException($"All {scores.Length} scores equal {mean}; a z-score needs scores that vary. Fix: use a more varied sample or RewardNormalization.Affine.", nameof(scores));
        return new RewardStatistics(mean, std, scores.Length);
    }

    /// <summary>Scores <paramref name="sample"/> with <paramref name="source"/> and returns the statistics of the scores.</summary>
    public static RewardStatistics Estimate(IRewardSource source, IReadOnlyList<RewardQuery> sample, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        RewardChecks.ValidateQueries(sample, nameof(sample));
        return FromScores(RewardChecks.ScoreChecked(source, sample, cancellationToken));
    }

    /// <inheritdoc />
    public override string ToString() => $"mean {Mean:G6}, std {StandardDeviation:G6}" + (Count > 0 ? $" (n = {Count})" : "");
}
