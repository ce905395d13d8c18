namespace AlignedGen.Rewards;

/// <summary>One term of a <see cref="CompositeRewardSource"/>: a source, its weight and the normalisation applied before weighting.</summary>
public sealed record RewardComponent
{
    private readonly IRewardSource _source = null!;
    private readonly double _weight;
    private readonly RewardNormalization _normalization = RewardNormalization.None;

    /// <summary>Creates a component; the weight must be finite (it may be negative or zero).</summary>
    public RewardComponent(IRewardSource source, double weight = 1.0, RewardNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!double.IsFinite(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"The weight of '{source.Name}' must be finite.");
        Source = source;
        Weight = weight;
        Normalization = normalization ?? RewardNormalization.None;
    }

    /// <summary>The reward source.</summary>
    public IRewardSource Source
    {
        get => _source;
        init => _source = value ?? throw new ArgumentNullException(nameof(Source));
    }

    /// <summary>Weight of the normalised score in the sum (finite; may be negative or zero).</summary>
    public double Weight
    {
        get => _weight;
        init => _weight = double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Weight), value, "The weight must be finite.");
    }

    /// <summary>Map applied to the raw score before weighting (<see cref="RewardNormalization.None"/> by default).</summary>
    public RewardNormalization Normalization
    {
        get => _normalization;
        init => _normalization = value ?? throw new ArgumentNullException(nameof(Normalization), "Use RewardNormalization.None for no normalisation.");
    }
}
