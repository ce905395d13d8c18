using System.Globalization;

namespace AlignedGen.Rewards;

/// <summary>
/// How a component's raw score is mapped before it is weighted in a <see cref="CompositeRewardSource"/>:
/// unchanged, a fixed affine map (scale and shift), or a z-score with given or estimated statistics.
/// </summary>
public abstract class RewardNormalization
{
    private RewardNormalization() { }

    /// <summary>Leaves scores unchanged.</summary>
    public static RewardNormalization None { get; } = new Identity();

    /// <summary>Maps a score s to <c>s * scale + shift</c>.</summary>
    public static RewardNormalization Affine(double scale, double shift = 0)
    {
        if (!double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite.");
        if (!double.IsFinite(shift))
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "The shift must be finite.");
        return new AffineMap(scale, shift);
    }

    /// <summary>Maps a score s to <c>(s - mean) / standardDeviation</c>.</summary>
    public static RewardNormalization ZScore(RewardStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new ZScoreMap(statistics);
    }

    /// <summary>Applies the map to one raw score.</summary>
    public abstract double Apply(double score);

    /// <summary>The statistics of a z-score normalisation, otherwise null.</summary>
    public virtual RewardStatistics? Statistics => null;

    private sealed class Identity : RewardNormalization
    {
        public override double Apply(double score) => score;
        public override string ToString() => "none";
    }

    private sealed class AffineMap(double scale, double shift) : RewardNormalization
    {
        public override double Apply(double score) => score * scale + shift;
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"x*{scale:G6}+{shift:G6}");
    }

    private sealed class ZScoreMap(RewardStatistics statistics) : RewardNormalization
    {
        private readonly double _mean = statistics.Mean;
        private readonly double _inverseStd = 1.0 / statistics.StandardDeviation;
        public override RewardStatistics Statistics => statistics;
        public override double Apply(double score) => (score - _mean) * _inverseStd;
        public override string ToString() => "z-score (" + statistics + ")";
    }
}
