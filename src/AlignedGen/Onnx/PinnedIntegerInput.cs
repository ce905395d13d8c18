using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// An integer model input [rows, columns] (input_ids, attention_mask, position_ids) in a pinned buffer that is
/// rewritten in place each call. Values are written as int64 and handed to ONNX Runtime as the graph's type (int64 or
/// int32); the tensor view is reused while the shape and buffer stay the same.
/// </summary>
internal sealed class PinnedIntegerInput : IDisposable
{
    private readonly TensorElementType _type;
    private long[] _values = GC.AllocateArray<long>(64, pinned: true);
    private int[] _values32 = Array.Empty<int>();
    private OrtValue? _view;
    private readonly long[] _shape = new long[2];

    /// <summary>Creates an input of element type int64 or int32.</summary>
    public PinnedIntegerInput(TensorElementType type, string name)
    {
        if (type is not (TensorElementType.Int64 or TensorElementType.Int32))
            throw new NotSupportedException($"Input '{name}' has element type {type}; expected int64 or int32.");
        _type = type;
        if (type == TensorElementType.Int32) _values32 = GC.AllocateArray<int>(64, pinned: true);
    }

    /// <summary>The first <paramref name="count"/> values to write (the buffer grows as needed; old values are not kept when it does).</summary>
    public Span<long> Values(int count)
    {
        if (_values.Length < count)
        {
            DisposeView();
            _values = GC.AllocateArray<long>(Math.Max(count, _values.Length * 2), pinned: true);
            if (_type == TensorElementType.Int32) _values32 = GC.AllocateArray<int>(_values.Length, pinned: true);
        }
        return _values.AsSpan(0, count);
    }

    /// <summary>The tensor [rows, columns] over the values written (owned by this input; valid until the next call).</summary>
    public OrtValue View(int rows, int columns)
    {
        int count = rows * columns;
        if (count > _values.Length)
            throw new InvalidOperationException($"The input holds {_values.Length} values; a [{rows}, {columns}] view needs {count}. Call Values first.");
        if (_type == TensorElementType.Int32)
            for (int i = 0; i < count; i++) _values32[i] = checked((int)_values[i]);
        if (_view is not null && _shape[0] == rows && _shape[1] == columns) return _view;
        DisposeView();
        _shape[0] = rows;
        _shape[1] = columns;
        _view = _type == TensorElementType.Int64
            ? OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, _shape, Marshal.UnsafeAddrOfPinnedArrayElement(_values, 0), (long)count * sizeof(long))
            : OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, _shape, Marshal.UnsafeAddrOfPinnedArrayElement(_values32, 0), (long)count * sizeof(int));
        return _view;
    }

    private void DisposeView()
    {
        _view?.Dispose();
        _view = null;
    }

    public void Dispose() => DisposeView();
}
