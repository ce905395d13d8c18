namespace AlignedGen.ModelBuilding;

/// <summary>Attribute kinds (values are onnx.proto's AttributeProto.AttributeType numbers).</summary>
public enum OnnxAttributeKind
{
    /// <summary>A float.</summary>
    Float = 1,
    /// <summary>A 64-bit integer.</summary>
    Int = 2,
    /// <summary>A UTF-8 string.</summary>
    String = 3,
    /// <summary>A list of floats.</summary>
    Floats = 6,
    /// <summary>A list of 64-bit integers.</summary>
    Ints = 7,
}
