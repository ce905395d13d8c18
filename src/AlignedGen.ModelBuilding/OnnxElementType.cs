namespace AlignedGen.ModelBuilding;

/// <summary>ONNX tensor element types (values are onnx.proto's TensorProto.DataType numbers).</summary>
public enum OnnxElementType
{
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,
    /// <summary>Boolean (one byte per element).</summary>
    Bool = 9,
    /// <summary>16-bit IEEE half float.</summary>
    Float16 = 10,
}
