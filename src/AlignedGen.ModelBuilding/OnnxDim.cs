namespace AlignedGen.ModelBuilding;

/// <summary>One dimension of a graph input/output shape: a fixed size or a symbolic name such as "batch".</summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name (ONNX dim_param), or null for a fixed size.</summary>
    public string? Symbol { get; }

    /// <summary>A fixed-size dimension.</summary>
    public static OnnxDim Fixed(long value) =>
        value >= 0 ? new OnnxDim(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A fixed dimension must be >= 0; use a symbolic name for a dynamic one.");

    /// <summary>A symbolic (dynamic) dimension.</summary>
    public static OnnxDim Named(string symbol) =>
        !string.IsNullOrWhiteSpace(symbol) ? new OnnxDim(null, symbol) : throw new ArgumentException("A symbolic dimension needs a non-empty name such as \"batch\".", nameof(symbol));

    /// <summary>A fixed size, e.g. <c>8</c>.</summary>
    public static implicit operator OnnxDim(long value) => Fixed(value);

    /// <summary>A symbolic name, e.g. <c>"batch_size"</c>.</summary>
    public static implicit operator OnnxDim(string symbol) => Named(symbol);

    /// <summary>The name or the size.</summary>
    public override string ToString() => Symbol ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
