namespace AlignedGen.Rewards;

/// <summary>One term of a composite <see cref="RewardReference"/>: a reference, its weight and its normalisation (as in <see cref="RewardComponent"/>).</summary>
public sealed record WeightedRewardReference
{
    /// <summary>A term; the weight must be finite (it may be negative or zero).</summary>
    public WeightedRewardReference(RewardReference reward, double weight = 1.0, RewardNormalization? normalization = null)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward));
        if (!double.IsFinite(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"The weight of {reward} must be a finite number, got {weight}.");
        Weight = weight;
        Normalization = normalization ?? RewardNormalization.None;
    }

    /// <summary>The reward.</summary>
    public RewardReference Reward { get; }

    /// <summary>Weight of the normalised score in the sum.</summary>
    public double Weight { get; }

    /// <summary>Map applied to the raw score before weighting.</summary>
    public RewardNormalization Normalization { get; }
}
