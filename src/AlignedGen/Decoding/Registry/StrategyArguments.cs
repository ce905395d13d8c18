namespace AlignedGen.Decoding;

/// <summary>The complete, converted parameter values of one strategy (every key present, defaults filled), read by kind.</summary>
public sealed class StrategyArguments
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    internal StrategyArguments(IReadOnlyDictionary<string, object?> values) => _values = values;

    /// <summary>A whole-number value.</summary>
    public int Integer(string key) => (int)Value(key)!;

    /// <summary>A number value.</summary>
    public double Number(string key) => (double)Value(key)!;

    /// <summary>An optional number value (null = not set).</summary>
    public double? OptionalNumber(string key) => (double?)Value(key);

    /// <summary>An on/off value.</summary>
    public bool Flag(string key) => (bool)Value(key)!;

    /// <summary>A text value (null = not set).</summary>
    public string? Text(string key) => (string?)Value(key);

    private object? Value(string key) => _values.TryGetValue(key, out var v) ? v
        : throw new KeyNotFoundException($"The strategy has no parameter '{key}'; declare it in the descriptor's parameter list.");
}
