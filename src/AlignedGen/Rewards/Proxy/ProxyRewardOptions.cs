namespace AlignedGen.Rewards;

/// <summary>Options of <see cref="ProxyRewardSource"/> (Kim &amp; Seo's white-box reward); validated when set. Defaults follow the authors' code.</summary>
public sealed class ProxyRewardOptions
{
    private readonly IReadOnlyList<string> _stopMarkers = ProxyRewardFeatures.DefaultStopMarkers;
    private readonly int _maxSequenceLength = ProxyRewardFeatures.DefaultMaxSequenceLength;
    private readonly double _relevanceScale = ProxyRewardFeatures.DefaultRelevanceScale;
    private readonly string _name = "proxy-reward";

    /// <summary>Options with every default.</summary>
    public static ProxyRewardOptions Default { get; } = new();

    /// <summary>Source name in errors and result columns. Default "proxy-reward".</summary>
    public string Name
    {
        get => _name;
        init => _name = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Name cannot be blank.", nameof(Name));
    }

    /// <summary>Markers at which a response is cut before scoring (<see cref="ProxyRewardFeatures.PrepareText"/>). Default <see cref="ProxyRewardFeatures.DefaultStopMarkers"/>.</summary>
    public IReadOnlyList<string> StopMarkers
    {
        get => _stopMarkers;
        init => _stopMarkers = value ?? throw new ArgumentNullException(nameof(StopMarkers), "Use an empty list to disable cutting.");
    }

    /// <summary>Turns a prompt into the query the relevance is measured against; null = <see cref="ProxyRewardFeatures.ExtractQuery"/> with its default role markers.</summary>
    public Func<string, string>? ExtractQuery { get; init; }

    /// <summary>Multiply by LI (length incentive); when false LI = 1. Default true.</summary>
    public bool UseLengthIncentive { get; init; } = true;

    /// <summary>Multiply by RP (repetition penalty); when false RP = 1. Default true.</summary>
    public bool UseRepetitionPenalty { get; init; } = true;

    /// <summary>Multiply by Rel (needs an embedder); when false Rel = 1 and there is no constrained branch. Default true.</summary>
    public bool UseRelevance { get; init; } = true;

    /// <summary>Queries with a <see cref="RewardQuery.Reference"/> use the constrained formula (the authors' reward branching). Default true.</summary>
    public bool UseReferenceBranch { get; init; } = true;

    /// <summary>The 512 of the constrained formula's <c>(maxSequenceLength / 100)</c> factor. Default 512.</summary>
    public int MaxSequenceLength
    {
        get => _maxSequenceLength;
        init => _maxSequenceLength = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), value, "MaxSequenceLength must be positive.");
    }

    /// <summary>The 3.5 the constrained formula divides the relevance by. Default 3.5.</summary>
    public double RelevanceScale
    {
        get => _relevanceScale;
        init => _relevanceScale = double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(RelevanceScale), value, "RelevanceScale must be finite and positive.");
    }
}
