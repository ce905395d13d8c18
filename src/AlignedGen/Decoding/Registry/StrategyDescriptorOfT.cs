namespace AlignedGen.Decoding;

/// <summary>
/// A strategy's self-description over its options type <typeparamref name="TOptions"/>: the options constructor reached
/// through named values, and the strategy constructor. Declared next to the options type and registered with one line
/// in <see cref="StrategyRegistry"/>.
/// </summary>
public sealed class StrategyDescriptor<TOptions> : StrategyDescriptor where TOptions : class
{
    private readonly Func<StrategyArguments, TOptions> _createOptions;
    private readonly Func<TOptions, IDecodingStrategy> _createStrategy;
    private readonly Func<TOptions, bool> _describes;
    private readonly Func<TOptions, string?>? _whyNotWritable;

    /// <param name="name">The spec name, lower case.</param>
    /// <param name="summary">One line for help texts.</param>
    /// <param name="parameters">Every parameter <paramref name="createOptions"/> reads, each with how to read it back from options.</param>
    /// <param name="createOptions">Builds validated options from complete values (throws <see cref="ArgumentException"/> on bad ones).</param>
    /// <param name="createStrategy">Builds the strategy over options.</param>
    /// <param name="family">The sweep family (default: the name).</param>
    /// <param name="aliases">Other accepted names.</param>
    /// <param name="describes">Which options of the type this name stands for (default: all).</param>
    /// <param name="whyNotWritable">Why options cannot round-trip through values (default: they round-trip when rebuilding them from their values gives equal options).</param>
    /// <param name="shorthandKey">The parameter that may end the name (<c>"best-of-16"</c>).</param>
    public StrategyDescriptor(string name, string summary, IReadOnlyList<StrategyParameter> parameters,
        Func<StrategyArguments, TOptions> createOptions, Func<TOptions, IDecodingStrategy> createStrategy,
        string? family = null, IReadOnlyList<string>? aliases = null, Func<TOptions, bool>? describes = null,
        Func<TOptions, string?>? whyNotWritable = null, string? shorthandKey = null)
        : base(name, summary, parameters, family, aliases, shorthandKey)
    {
        _createOptions = createOptions ?? throw new ArgumentNullException(nameof(createOptions));
        _createStrategy = createStrategy ?? throw new ArgumentNullException(nameof(createStrategy));
        _describes = describes ?? (_ => true);
        _whyNotWritable = whyNotWritable;
    }

    /// <inheritdoc />
    public override Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public override bool Describes(object options) => options is TOptions typed && _describes(typed);

    /// <inheritdoc />
    public override IDecodingStrategy CreateStrategy(object options) => _createStrategy(Typed(options));

    /// <inheritdoc />
    public override string? WhyNotWritable(object options)
    {
        var typed = Typed(options);
        if (_whyNotWritable is not null) return _whyNotWritable(typed);
        var values = Parameters.ToDictionary(p => p.Key, p => p.Read(typed), StringComparer.Ordinal);
        return Equals(_createOptions(new StrategyArguments(values)), typed) ? null
            : $"its {typeof(TOptions).Name} hold settings that {Name}'s parameters ({string.Join(", ", Parameters.Select(p => p.Key))}) cannot carry";
    }

    private protected override object CreateOptions(StrategyArguments arguments) => _createOptions(arguments);

    private TOptions Typed(object options) => options as TOptions
        ?? throw new ArgumentException($"Strategy '{Name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}.", nameof(options));
}
