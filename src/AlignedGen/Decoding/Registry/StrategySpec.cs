namespace AlignedGen.Decoding;

/// <summary>
/// A registered strategy with its options: what a text spec (<c>"args w=1.5 k=10"</c>), a cmdlet's or command line's
/// parameters, or a saved transform name. Creates fresh strategy objects, says whether the strategy needs a reward,
/// and prints itself as a label (<c>"args w=1.5"</c>: the name, primary parameters, and parameters off their default).
/// </summary>
public sealed class StrategySpec
{
    internal StrategySpec(StrategyDescriptor descriptor, object options, IReadOnlyDictionary<string, object?> values)
    {
        Descriptor = descriptor;
        Options = options;
        Values = descriptor.Parameters.ToDictionary(p => p.Key, p => values[p.Key], StringComparer.Ordinal);
        Label = MakeLabel();
    }

    /// <summary>The registered strategy.</summary>
    public StrategyDescriptor Descriptor { get; }

    /// <summary>The validated options object (e.g. <see cref="ArgsOptions"/>).</summary>
    public object Options { get; }

    /// <summary>Every parameter's value by key, defaults included, in the descriptor's order.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>Numeric values by key (flags as 0 / 1, text left out), for sweep charts: <c>{"w": 1.5, "k": 10}</c>.</summary>
    public IReadOnlyDictionary<string, double> NumericValues => Values
        .Where(v => StrategyParameter.AsNumber(v.Value) is not null)
        .ToDictionary(v => v.Key, v => StrategyParameter.AsNumber(v.Value)!.Value, StringComparer.Ordinal);

    /// <summary>The label: <c>"args w=1.5"</c>, <c>"best-of-16"</c>; parsing it gives an equal spec.</summary>
    public string Label { get; }

    /// <summary>The sweep family (<c>"args-greedy"</c>).</summary>
    public string Family => Descriptor.Family;

    /// <summary>Whether the strategy cannot run without a reward source (asked of the strategy itself).</summary>
    public bool NeedsReward => CreateStrategy().NeedsReward;

    /// <summary>A new strategy object.</summary>
    public IDecodingStrategy CreateStrategy() => Descriptor.CreateStrategy(Options);

    /// <summary>Why the options cannot be written as values and read back equal (code-built parts), or null.</summary>
    public string? WhyNotWritable => Descriptor.WhyNotWritable(Options);

    /// <summary>Parses a spec with the default registry (see <see cref="StrategyRegistry.Parse"/>).</summary>
    public static StrategySpec Parse(string spec) => StrategyRegistry.Default.Parse(spec);

    /// <summary>The spec of an options object under the default registry (see <see cref="StrategyRegistry.Describe"/>).</summary>
    public static StrategySpec From(object options) => StrategyRegistry.Default.Describe(options);

    /// <inheritdoc />
    public override string ToString() => Label;

    private string MakeLabel()
    {
        var d = Descriptor;
        var label = d.ShorthandKey is { } shorthand
            ? d.Name[..^shorthand.Length] + d.FindParameter(shorthand)!.Format(Values[shorthand])
            : d.Name;
        foreach (var p in d.Parameters)
        {
            if (p.Key == d.ShorthandKey) continue;
            if (p.Primary || !Equals(Values[p.Key], p.Default)) label += $" {p.Key}={p.Format(Values[p.Key])}";
        }
        return label;
    }
}
