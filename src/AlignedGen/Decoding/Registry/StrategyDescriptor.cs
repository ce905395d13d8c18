namespace AlignedGen.Decoding;

/// <summary>
/// How a strategy describes itself to every surface: its spec name (and aliases), the sweep family its settings belong
/// to, its parameters with kinds and defaults, how values become its options object (validated there) and how options
/// become the strategy. One descriptor per spec name; several may share an options type ("greedy" and "sample" both
/// build <see cref="SamplingOptions"/>). Registered in <see cref="StrategyRegistry"/>; see <see cref="StrategyDescriptor{TOptions}"/>.
/// </summary>
public abstract class StrategyDescriptor
{
    private protected StrategyDescriptor(string name, string summary, IReadOnlyList<StrategyParameter> parameters, string? family,
        IReadOnlyList<string>? aliases, string? shorthandKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        ArgumentNullException.ThrowIfNull(parameters);
        if (name != name.ToLowerInvariant() || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"A strategy name is lower case without spaces (e.g. \"best-of-n\"), got \"{name}\".", nameof(name));
        var duplicate = parameters.GroupBy(p => p.Key, StringComparer.Ordinal).Concat(parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Strategy \"{name}\" declares the parameter \"{duplicate.Key}\" twice.", nameof(parameters));
        if (shorthandKey is not null && !name.EndsWith("-" + shorthandKey, StringComparison.Ordinal))
            throw new ArgumentException($"The shorthand key \"{shorthandKey}\" must end the name (\"best-of-n\" with key \"n\" reads \"best-of-16\"), got \"{name}\".", nameof(shorthandKey));
        Name = name;
        Summary = summary;
        Parameters = parameters.ToArray();
        Family = family ?? name;
        Aliases = aliases?.ToArray() ?? Array.Empty<string>();
        ShorthandKey = shorthandKey;
    }

    /// <summary>The spec name, lower case (<c>"best-of-n"</c>).</summary>
    public string Name { get; }

    /// <summary>Other accepted names (<c>"args-greedy"</c> for <c>"args"</c>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The name in PascalCase for cmdlets (<c>BestOfN</c>); parsing accepts it too.</summary>
    public string PascalName => StrategyRegistry.PascalCase(Name);

    /// <summary>The sweep a setting belongs to in comparison reports (<c>"args-greedy"</c> for every w).</summary>
    public string Family { get; }

    /// <summary>One line for help texts.</summary>
    public string Summary { get; }

    /// <summary>Every parameter, in spec order (primary ones first).</summary>
    public IReadOnlyList<StrategyParameter> Parameters { get; }

    /// <summary>
    /// The parameter whose value can replace the end of the name (<c>"n"</c>: <c>"best-of-16"</c> = <c>"best-of-n n=16"</c>),
    /// or null. Labels use the short form.
    /// </summary>
    public string? ShorthandKey { get; }

    /// <summary>The options type the strategy takes.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>The strategy with every parameter at its default.</summary>
    public StrategySpec Default => Create(null);

    /// <summary>The parameter with this key or name (case-insensitive), or null.</summary>
    public StrategyParameter? FindParameter(string keyOrName)
        => Parameters.FirstOrDefault(p => string.Equals(p.Key, keyOrName, StringComparison.OrdinalIgnoreCase))
            ?? Parameters.FirstOrDefault(p => string.Equals(p.Name, keyOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The strategy with <paramref name="values"/> (by key or name; text is parsed; absent ones take their defaults).
    /// Throws <see cref="ArgumentException"/> whose message starts with <paramref name="source"/> (how the caller names
    /// the strategy, e.g. "-Strategy Args"; default "Strategy 'args'") and names the key and the problem.
    /// </summary>
    public StrategySpec Create(IEnumerable<KeyValuePair<string, object?>>? values = null, string? source = null)
        => Create(values ?? Array.Empty<KeyValuePair<string, object?>>(), source ?? $"Strategy '{Name}'", "values");

    /// <summary>True when <paramref name="options"/> is of <see cref="OptionsType"/> and this descriptor names it (e.g. "greedy" only for temperature 0 without filters).</summary>
    public abstract bool Describes(object options);

    /// <summary>The spec of <paramref name="options"/> under this descriptor (values read back from the options).</summary>
    public StrategySpec Describe(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Describes(options))
            throw new ArgumentException($"Strategy '{Name}' does not describe {options.GetType().Name} {options}.", nameof(options));
        var values = Parameters.ToDictionary(p => p.Key, p => p.Read(options), StringComparer.Ordinal);
        return new StrategySpec(this, options, values);
    }

    /// <summary>A new strategy object over <paramref name="options"/> (of <see cref="OptionsType"/>).</summary>
    public abstract IDecodingStrategy CreateStrategy(object options);

    /// <summary>Why <paramref name="options"/> cannot be written as parameter values and read back equal (e.g. a mutator built in code), or null when it can.</summary>
    public abstract string? WhyNotWritable(object options);

    /// <summary>Builds the options from complete, converted values.</summary>
    private protected abstract object CreateOptions(StrategyArguments arguments);

    /// <summary>Converts <paramref name="given"/> (keys or names), fills defaults, builds the options; errors start with <paramref name="where"/>.</summary>
    internal StrategySpec Create(IEnumerable<KeyValuePair<string, object?>> given, string where, string paramName)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (keyOrName, raw) in given)
        {
            var parameter = FindParameter(keyOrName)
                ?? throw new ArgumentException($"{where}: unknown key '{keyOrName}' for {Name}. Keys of {Name}: {KeyList}.", paramName);
            if (values.ContainsKey(parameter.Key))
                throw new ArgumentException($"{where}: key '{parameter.Key}' is given twice. Give each key once.", paramName);
            try
            {
                values[parameter.Key] = parameter.Convert(raw);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{where}: key '{parameter.Key}' {e.Message}.", paramName, e);
            }
        }
        foreach (var p in Parameters) values.TryAdd(p.Key, p.Default);
        object options;
        try
        {
            options = CreateOptions(new StrategyArguments(values));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{where}: {SurfaceWording.PlainMessage(e)}", paramName, e);
        }
        return new StrategySpec(this, options, values);
    }

    /// <summary>"w (reward weight, default 1), k (...)" for errors; "none" without parameters.</summary>
    internal string KeyList => Parameters.Count == 0 ? "none"
        : string.Join(", ", Parameters.Select(p => $"{p.Key} ({p.Description}, default {p.Format(p.Default)})"));

    /// <inheritdoc />
    public override string ToString() => Name;
}
