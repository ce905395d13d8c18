using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>A tensor on the host for feeding/reading ONNX Runtime: float data (float16 tensors are widened) or int64 data.</summary>
internal sealed class HostTensor
{
    private HostTensor(long[] shape, float[]? floats, long[]? longs, bool isHalf)
    {
        Shape = shape;
        Floats = floats;
        Longs = longs;
        IsHalf = isHalf;
    }

    public long[] Shape { get; }
    public float[]? Floats { get; }
    public long[]? Longs { get; }

    /// <summary>True when the tensor is float16 in the graph (values here are exact widenings).</summary>
    public bool IsHalf { get; }

    public static HostTensor Float(float[] data, params long[] shape) => new(shape, data, null, false);
    public static HostTensor Half(float[] data, params long[] shape) => new(shape, data, null, true);
    public static HostTensor Int64(long[] data, params long[] shape) => new(shape, null, data, false);

    public static HostTensor Int64(long[,] data) =>
        new([data.GetLength(0), data.GetLength(1)], null, data.Cast<long>().ToArray(), false);

    public float this[params long[] index]
    {
        get
        {
            long flat = 0;
            for (var i = 0; i < Shape.Length; i++) flat = flat * Shape[i] + index[i];
            return Floats![flat];
        }
    }

    public OrtValue ToOrtValue()
    {
        if (Longs is not null) return OrtValue.CreateTensorValueFromMemory(Longs, Shape);
        if (IsHalf) return OrtValue.CreateTensorValueFromMemory(Floats!.Select(f => (Float16)f).ToArray(), Shape);
        return OrtValue.CreateTensorValueFromMemory(Floats!, Shape);
    }

    public static HostTensor FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => Float(value.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Float16 => Half(value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => h.ToFloat()).ToArray(), shape),
            TensorElementType.Int64 => Int64(value.GetTensorDataAsSpan<long>().ToArray(), shape),
            var other => throw new NotSupportedException($"Output element type {other} is not handled by the tests."),
        };
    }
}
