using AlignedGen.Decoding;

namespace AlignedGen.Evaluation;

/// <summary>
/// One entry of a comparison: a labelled strategy with its generation options and the numeric parameters a report
/// plots against (e.g. <c>{"w": 1.5, "k": 10}</c>). <see cref="Family"/> groups settings into one sweep line
/// ("args-greedy" for every w).
/// </summary>
public sealed record ComparisonSetting
{
    /// <summary>A setting for <paramref name="strategy"/>; the label defaults to the strategy's name.</summary>
    public ComparisonSetting(IDecodingStrategy strategy, string? label = null, string? family = null,
        IReadOnlyDictionary<string, double>? parameters = null, GenerationOptions? options = null)
    {
        Strategy = strategy ?? throw new ArgumentNullException(nameof(strategy));
        Label = string.IsNullOrWhiteSpace(label) ? strategy.Name : label;
        Family = string.IsNullOrWhiteSpace(family) ? strategy.Name : family;
        Parameters = parameters ?? new Dictionary<string, double>();
        Options = options;
    }

    /// <summary>A setting for a registered strategy: a fresh strategy, the spec's label, family and numeric values.</summary>
    public ComparisonSetting(StrategySpec spec, GenerationOptions? options = null)
        : this((spec ?? throw new ArgumentNullException(nameof(spec))).CreateStrategy(), spec.Label, spec.Family, spec.NumericValues, options)
    {
    }

    /// <summary>The strategy.</summary>
    public IDecodingStrategy Strategy { get; }
    /// <summary>Unique label in tables and charts ("args w=1.5").</summary>
    public string Label { get; }
    /// <summary>The sweep this setting belongs to ("args-greedy").</summary>
    public string Family { get; }
    /// <summary>Numeric parameters for sweep charts.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }
    /// <summary>Whether the strategy needs the comparison's guiding reward.</summary>
    public bool NeedsReward => Strategy.NeedsReward;

    /// <summary>Generation options for this setting; null = the comparison's.</summary>
    public GenerationOptions? Options { get; }
}
