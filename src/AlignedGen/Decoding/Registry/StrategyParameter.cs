using System.Globalization;

namespace AlignedGen.Decoding;

/// <summary>
/// One setting of a registered strategy: its spec key (<c>"k"</c> in <c>"args k=10"</c>), its parameter name for
/// cmdlets and long options (<c>CandidateCount</c>, <c>--candidate-count</c>), its kind, default and meaning. Values are
/// checked for their kind here; ranges are checked by the strategy's options constructor.
/// </summary>
public sealed class StrategyParameter
{
    private readonly Func<object, object?> _read;

    private StrategyParameter(string key, string name, StrategyParameterKind kind, object? defaultValue, string description, bool primary,
        Func<object, object?> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Key = key;
        Name = name;
        Kind = kind;
        Default = defaultValue;
        Description = description;
        Primary = primary;
        _read = read;
    }

    /// <summary>The spec key, lower case (<c>"w"</c>, <c>"top-k"</c>).</summary>
    public string Key { get; }

    /// <summary>The parameter name in PascalCase (<c>Weight</c>, <c>TopK</c>); cmdlets use it as is, long options in kebab case.</summary>
    public string Name { get; }

    /// <summary>The value type.</summary>
    public StrategyParameterKind Kind { get; }

    /// <summary>The value when not given: an <see cref="int"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="string"/> (null = none: text and optional numbers).</summary>
    public object? Default { get; }

    /// <summary>What it means, in a few words ("reward weight").</summary>
    public string Description { get; }

    /// <summary>Always shown in labels (<c>"args w=1"</c>); other parameters show only when they differ from the default.</summary>
    public bool Primary { get; }

    /// <summary>A number that may be left unset (its default is null).</summary>
    private bool IsOptionalNumber => Kind == StrategyParameterKind.Number && Default is null;

    /// <summary>The CLR type of values: int, double, bool or string.</summary>
    public Type ValueType => Kind switch
    {
        StrategyParameterKind.Integer => typeof(int),
        StrategyParameterKind.Number => typeof(double),
        StrategyParameterKind.Flag => typeof(bool),
        _ => typeof(string),
    };

    /// <summary>A whole-number parameter read back from options with <paramref name="read"/>.</summary>
    public static StrategyParameter Integer<TOptions>(string key, string name, int defaultValue, string description, Func<TOptions, int> read, bool primary = false)
        => new(key, name, StrategyParameterKind.Integer, defaultValue, description, primary, o => read((TOptions)o));

    /// <summary>A number parameter read back from options with <paramref name="read"/>.</summary>
    public static StrategyParameter Number<TOptions>(string key, string name, double defaultValue, string description, Func<TOptions, double> read, bool primary = false)
        => new(key, name, StrategyParameterKind.Number, defaultValue, description, primary, o => read((TOptions)o));

    /// <summary>
    /// An optional number parameter (null = not set, e.g. a threshold that is otherwise derived per prompt) read back from
    /// options with <paramref name="read"/>; a null or empty value from a surface also means not set.
    /// </summary>
    public static StrategyParameter OptionalNumber<TOptions>(string key, string name, string description, Func<TOptions, double?> read)
        => new(key, name, StrategyParameterKind.Number, null, description, false, o => read((TOptions)o));

    /// <summary>An on/off parameter read back from options with <paramref name="read"/>.</summary>
    public static StrategyParameter Flag<TOptions>(string key, string name, bool defaultValue, string description, Func<TOptions, bool> read, bool primary = false)
        => new(key, name, StrategyParameterKind.Flag, defaultValue, description, primary, o => read((TOptions)o));

    /// <summary>A text parameter (null = not set) read back from options with <paramref name="read"/>.</summary>
    public static StrategyParameter Text<TOptions>(string key, string name, string? defaultValue, string description, Func<TOptions, string?> read)
        => new(key, name, StrategyParameterKind.Text, defaultValue, description, false, o => read((TOptions)o));

    /// <summary>The value of this parameter in <paramref name="options"/>.</summary>
    internal object? Read(object options) => _read(options);

    /// <summary>
    /// <paramref name="value"/> as this parameter's kind: text is parsed (invariant culture), numbers and booleans are
    /// converted when exact. Throws <see cref="FormatException"/> with the problem in words.
    /// </summary>
    internal object? Convert(object? value)
    {
        switch (value)
        {
            case null when Kind == StrategyParameterKind.Text || IsOptionalNumber:
                return null;
            case "" when IsOptionalNumber:
                return null;
            case null:
                throw new FormatException($"needs a value ({Describe()})");
            case string text:
                return Parse(text);
        }
        return Kind switch
        {
            StrategyParameterKind.Text => System.Convert.ToString(value, CultureInfo.InvariantCulture),
            StrategyParameterKind.Flag when value is bool b => b,
            StrategyParameterKind.Flag => ToFlag(ToNumber(value)),
            StrategyParameterKind.Integer => ToInteger(ToNumber(value), value),
            _ => ToNumber(value),
        };
    }

    /// <summary>The value as written in specs and labels: invariant numbers, flags as 0 / 1, text quoted when needed.</summary>
    internal string Format(object? value) => value switch
    {
        null => "\"\"",
        bool b => b ? "1" : "0",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => StrategySpecText.Quote(s),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The value as a number for sweep charts (flags 0 / 1), or null for text.</summary>
    internal static double? AsNumber(object? value) => value switch
    {
        int i => i,
        double d => d,
        bool b => b ? 1 : 0,
        _ => null,
    };

    private object? Parse(string text)
    {
        if (Kind == StrategyParameterKind.Text) return text;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return Kind switch
            {
                StrategyParameterKind.Flag => ToFlag(number),
                StrategyParameterKind.Integer => ToInteger(number, text),
                _ => number,
            };
        if (Kind != StrategyParameterKind.Number && bool.TryParse(text, out var flag))
            return Kind == StrategyParameterKind.Flag ? flag : flag ? 1 : 0;
        throw new FormatException($"must be {Describe()}, got '{text}'");
    }

    private double ToNumber(object value)
    {
        try
        {
            var d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (double.IsFinite(d)) return d;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
        }
        throw new FormatException($"must be {Describe()}, got '{value}'");
    }

    private int ToInteger(double number, object original)
        => number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue ? (int)number
            : throw new FormatException($"must be {Describe()}, got '{original}'");

    private bool ToFlag(double number) => number switch
    {
        0 => false,
        1 => true,
        _ => throw new FormatException($"must be {Describe()}, got '{Format(number)}'"),
    };

    private string Describe() => Kind switch
    {
        StrategyParameterKind.Integer => "a whole number",
        StrategyParameterKind.Number => "a number",
        StrategyParameterKind.Flag => "0 or 1 (or false / true)",
        _ => "text",
    };
}
