namespace AlignedGen.ModelBuilding;

/// <summary>A node attribute (onnx.proto AttributeProto) of one of the kinds the builders need: int, float, string, ints, floats.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind, long intValue = 0, float floatValue = 0, string? stringValue = null,
        long[]? ints = null, float[]? floats = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An attribute needs a name such as \"axis\".", nameof(name));
        Name = name;
        Kind = kind;
        IntValue = intValue;
        FloatValue = floatValue;
        StringValue = stringValue;
        Ints = ints ?? [];
        Floats = floats ?? [];
    }

    /// <summary>Attribute name, e.g. "axis".</summary>
    public string Name { get; }

    /// <summary>Which value field is in use.</summary>
    public OnnxAttributeKind Kind { get; }

    /// <summary>The value of an <see cref="OnnxAttributeKind.Int"/> attribute.</summary>
    public long IntValue { get; }

    /// <summary>The value of a <see cref="OnnxAttributeKind.Float"/> attribute.</summary>
    public float FloatValue { get; }

    /// <summary>The value of a <see cref="OnnxAttributeKind.String"/> attribute.</summary>
    public string? StringValue { get; }

    /// <summary>The values of an <see cref="OnnxAttributeKind.Ints"/> attribute.</summary>
    public IReadOnlyList<long> Ints { get; }

    /// <summary>The values of a <see cref="OnnxAttributeKind.Floats"/> attribute.</summary>
    public IReadOnlyList<float> Floats { get; }

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, intValue: value);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, floatValue: value);

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value) =>
        new(name, OnnxAttributeKind.String, stringValue: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute IntList(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, ints: (long[])values.Clone());

    /// <summary>A list-of-floats attribute.</summary>
    public static OnnxAttribute FloatList(string name, params float[] values) => new(name, OnnxAttributeKind.Floats, floats: (float[])values.Clone());
}
