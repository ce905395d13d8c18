using System.Text;

namespace AlignedGen.Decoding;

/// <summary>
/// The strategies every surface offers — the CLI, the cmdlets, ML.NET, the comparison job and saved transforms all
/// build strategies from here. Adding a strategy = its strategy file, its options file (with the descriptor) and one
/// line in <see cref="Default"/>'s list. Names are matched case-insensitively, also in PascalCase (<c>BestOfN</c>).
/// Thread-safe; <see cref="Register"/> adds strategies of your own.
/// </summary>
public sealed class StrategyRegistry
{
    private readonly object _gate = new();
    private StrategyDescriptor[] _descriptors = Array.Empty<StrategyDescriptor>();

    /// <summary>A registry holding <paramref name="descriptors"/>, in order.</summary>
    public StrategyRegistry(IEnumerable<StrategyDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        foreach (var d in descriptors) Register(d);
    }

    /// <summary>The built-in strategies: greedy, sample, best-of-n, args, args-stochastic, darwin, cards, speculative-rejection.</summary>
    public static StrategyRegistry Default { get; } = new(new StrategyDescriptor[]
    {
        SamplingOptions.GreedyDescriptor,
        SamplingOptions.SampleDescriptor,
        BestOfNOptions.Descriptor,
        ArgsOptions.GreedyDescriptor,
        ArgsOptions.StochasticDescriptor,
        DarwinOptions.Descriptor,
        CardsOptions.Descriptor,
        SpeculativeRejectionOptions.Descriptor,
    });

    /// <summary>Every registered strategy, in registration order.</summary>
    public IReadOnlyList<StrategyDescriptor> Descriptors => Volatile.Read(ref _descriptors);

    /// <summary>Adds <paramref name="descriptor"/>; its name and aliases must be new (also in PascalCase).</summary>
    public void Register(StrategyDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (_gate)
        {
            foreach (var name in descriptor.Aliases.Prepend(descriptor.Name))
            {
                if (Find(name) is { } taken)
                    throw new ArgumentException($"The strategy name '{name}' is taken by '{taken.Name}'. Pick another name.", nameof(descriptor));
            }
            _descriptors = _descriptors.Append(descriptor).ToArray();
        }
    }

    /// <summary>The strategy called <paramref name="name"/> (name or alias, any case, dashes optional: "BestOfN"), or null.</summary>
    public StrategyDescriptor? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wanted = Fold(name);
        return Descriptors.FirstOrDefault(d => d.Aliases.Prepend(d.Name).Any(n => Fold(n) == wanted));
    }

    /// <summary>The strategy called <paramref name="name"/>; throws <see cref="ArgumentException"/> listing the names when none is.</summary>
    public StrategyDescriptor Get(string name)
        => Find(name ?? throw new ArgumentNullException(nameof(name)))
            ?? throw new ArgumentException($"Unknown strategy '{name}'. Use one of: {NameList}.", nameof(name));

    /// <summary>
    /// Parses a one-line spec: a strategy name and <c>key=value</c> pairs (<c>"args w=1.5 k=10"</c>, <c>"best-of-16"</c>,
    /// <c>"darwin m=8 keep=2"</c>; quote text with spaces). Throws <see cref="ArgumentException"/> (parameter "spec")
    /// naming the spec, the key and the allowed names, keys or values.
    /// </summary>
    public StrategySpec Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException($"A strategy spec is empty. Start it with a strategy name: {NameList}.", nameof(spec));
        var where = $"Strategy spec '{spec.Trim()}'";
        List<string> words;
        try
        {
            words = StrategySpecText.Split(spec);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{where}: {e.Message}.", nameof(spec), e);
        }
        var given = new List<KeyValuePair<string, object?>>();
        var descriptor = Find(words[0]) ?? FindShorthand(words[0], given)
            ?? throw new ArgumentException($"{where}: unknown strategy '{words[0]}'. Use one of: {NameList}.", nameof(spec));
        foreach (var word in words.Skip(1))
        {
            int eq = word.IndexOf('=');
            if (eq <= 0 || eq == word.Length - 1)
                throw new ArgumentException($"{where}: '{word}' is not key=value. Keys of {descriptor.Name}: {descriptor.KeyList}.", nameof(spec));
            given.Add(new(word[..eq].ToLowerInvariant(), word[(eq + 1)..]));
        }
        return descriptor.Create(given, where, nameof(spec));
    }

    /// <summary>
    /// The spec of an options object: the first registered strategy that describes it (e.g. <see cref="SamplingOptions"/>
    /// at temperature 0 without filters is "greedy", otherwise "sample"). Throws <see cref="ArgumentException"/> when none does.
    /// </summary>
    public StrategySpec Describe(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var descriptor = Descriptors.FirstOrDefault(d => d.Describes(options))
            ?? throw new ArgumentException($"No registered strategy takes {options.GetType().Name}. Register its descriptor in StrategyRegistry.", nameof(options));
        return descriptor.Describe(options);
    }

    /// <summary>The accepted names for error messages: "greedy, sample, best-of-n (or best-of-N, e.g. best-of-16), args (args-greedy), ...".</summary>
    public string NameList => string.Join(", ", Descriptors.Select(d =>
    {
        var text = d.Name;
        if (d.ShorthandKey is { } k) text += $" (or {d.Name[..^k.Length]}{k.ToUpperInvariant()}, e.g. {d.Name[..^k.Length]}16)";
        if (d.Aliases.Count > 0) text += $" ({string.Join(", ", d.Aliases)})";
        return text;
    }));

    /// <summary>Help text: a line per strategy with its keys and defaults, then a line per key with its meaning.</summary>
    public string Syntax
    {
        get
        {
            var text = new StringBuilder();
            foreach (var d in Descriptors)
            {
                if (text.Length > 0) text.Append(Environment.NewLine);
                text.Append(string.Join(" | ", d.Aliases.Prepend(d.Name).Concat(d.ShorthandKey is { } k ? new[] { d.Name[..^k.Length] + k.ToUpperInvariant() } : Array.Empty<string>())));
                foreach (var p in d.Parameters) text.Append($" [{p.Key}={p.Format(p.Default)}]");
                foreach (var p in d.Parameters) text.Append(Environment.NewLine).Append($"    {p.Key}: {p.Description}");
            }
            return text.ToString();
        }
    }

    /// <summary>"best-of-n" → "BestOfN", "args-stochastic" → "ArgsStochastic".</summary>
    public static string PascalCase(string name)
        => string.Concat(name.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private StrategyDescriptor? FindShorthand(string word, List<KeyValuePair<string, object?>> given)
    {
        foreach (var d in Descriptors)
        {
            if (d.ShorthandKey is not { } key) continue;
            var prefix = d.Name[..^key.Length];
            if (word.Length > prefix.Length && word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                given.Add(new(key, word[prefix.Length..]));
                return d;
            }
        }
        return null;
    }

    private static string Fold(string name) => name.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
