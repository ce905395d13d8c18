using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// Each row's main output at its last position (next-token logits, or a cached reward model's score) and the buffers
/// ONNX Runtime writes that output into. A one-token float step writes straight into the rows' buffer; other calls
/// write [rows, chunk, width] into a native chunk buffer, from which each row's last real position is picked (float16
/// converted to float). A row whose tokens were cut back has no output until it is fed again.
/// </summary>
internal sealed class RowOutputs : IDisposable
{
    private readonly TensorElementType _type;
    private readonly bool _perPositionScalar;
    private float[] _values = Array.Empty<float>();   // pinned: [rows, width]
    private bool[] _stale = Array.Empty<bool>();
    private OrtValue? _stepView;                        // _values as the main output [rows, 1, width] of a one-token step
    private NativeBuffer _chunk = NativeBuffer.Empty();

    /// <summary>Outputs of <paramref name="width"/> values per row, of a graph whose main output has element type <paramref name="type"/>.</summary>
    public RowOutputs(int width, TensorElementType type, bool perPositionScalar)
    {
        Width = width;
        _type = type;
        _perPositionScalar = perPositionScalar;
    }

    public int Width { get; }

    /// <summary>The output of <paramref name="row"/> (the caller checks the row exists).</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        if (_stale[row])
            throw new InvalidOperationException($"Row {row} was truncated and has no output yet: feed it a token (Step or Extend) first.");
        return new ReadOnlySpan<float>(_values, row * Width, Width);
    }

    /// <summary>True when a call feeding <paramref name="chunk"/> tokens per row writes straight into the rows' buffer.</summary>
    public bool WritesDirectly(int chunk) => chunk == 1 && _type == TensorElementType.Float;

    /// <summary>The rows' buffer as the main output of a one-token step ([rows, 1, width], or [rows, 1] for per-position scores); owned here.</summary>
    public OrtValue StepView(int rows)
    {
        Resize(rows);
        if (_stepView is not null) return _stepView;
        long[] shape = _perPositionScalar ? new long[] { rows, 1 } : new long[] { rows, 1, Width };
        _stepView = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape,
            Marshal.UnsafeAddrOfPinnedArrayElement(_values, 0), (long)_values.Length * sizeof(float));
        return _stepView;
    }

    /// <summary>A fresh view over the chunk buffer as the main output [rows, chunk, width]; the caller disposes it after the call.</summary>
    public OrtValue ChunkView(int rows, int chunk)
    {
        if (_type is not (TensorElementType.Float or TensorElementType.Float16))
            throw new NotSupportedException($"Output element type {_type} is not supported; expected float or float16.");
        long bytes = (long)rows * chunk * Width * (_type == TensorElementType.Float16 ? 2 : sizeof(float));
        if (bytes > Array.MaxLength)
            throw new NotSupportedException($"The output of {rows} rows × {chunk} tokens × {Width} needs {bytes} bytes; feed the prompt in smaller chunks or smaller batches.");
        if (_chunk.Bytes < bytes)
        {
            _chunk.Dispose();
            _chunk = new NativeBuffer(bytes);
        }
        long[] shape = _perPositionScalar ? new long[] { rows, chunk } : new long[] { rows, chunk, Width };
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, shape, _chunk.Pointer, bytes);
    }

    /// <summary>Takes each row's output at its last real position from the chunk buffer (<paramref name="lastIndex"/>; null: the chunk's last).</summary>
    public void PickLast(int rows, int chunk, int[]? lastIndex)
    {
        Resize(rows);
        int stride = chunk * Width;
        int Last(int r) => (lastIndex is null ? chunk - 1 : lastIndex[r]) * Width;
        if (_type == TensorElementType.Float)
        {
            var data = MemoryMarshal.Cast<byte, float>(_chunk.Span(rows * stride * sizeof(float)));
            for (int r = 0; r < rows; r++)
                data.Slice(r * stride + Last(r), Width).CopyTo(_values.AsSpan(r * Width, Width));
        }
        else
        {
            var data = MemoryMarshal.Cast<byte, Half>(_chunk.Span(rows * stride * 2));
            for (int r = 0; r < rows; r++)
            {
                var src = data.Slice(r * stride + Last(r), Width);
                var dst = _values.AsSpan(r * Width, Width);
                for (int i = 0; i < Width; i++) dst[i] = (float)src[i];
            }
        }
    }

    /// <summary>Every row was just fed: all outputs are current.</summary>
    public void MarkFed() => Array.Clear(_stale);

    /// <summary><paramref name="row"/> was cut back: it has no output until it is fed again.</summary>
    public void MarkStale(int row) => _stale[row] = true;

    /// <summary>Rows become copies of <paramref name="sourceRows"/> (no rows: empty).</summary>
    public void Select(ReadOnlySpan<int> sourceRows)
    {
        var values = Pinned(sourceRows.Length * Width);
        var stale = new bool[sourceRows.Length];
        for (int i = 0; i < sourceRows.Length; i++)
        {
            Array.Copy(_values, sourceRows[i] * Width, values, i * Width, Width);
            stale[i] = _stale[sourceRows[i]];
        }
        Replace(values, stale);
    }

    /// <summary>Row <paramref name="to"/> takes row <paramref name="from"/> of <paramref name="source"/> (this or another).</summary>
    public void CopyRow(RowOutputs source, int from, int to)
    {
        Array.Copy(source._values, from * Width, _values, to * Width, Width);
        _stale[to] = source._stale[from];
    }

    private void Resize(int rows)
    {
        if (_values.Length != rows * Width) Replace(Pinned(rows * Width), new bool[rows]);
    }

    private static float[] Pinned(int count) => count == 0 ? Array.Empty<float>() : GC.AllocateArray<float>(count, pinned: true);

    /// <summary>Replaces the rows' buffer (the step view over the old one is dropped).</summary>
    private void Replace(float[] values, bool[] stale)
    {
        _stepView?.Dispose();
        _stepView = null;
        _values = values;
        _stale = stale;
    }

    public void Dispose()
    {
        _chunk.Dispose();
        Replace(Array.Empty<float>(), Array.Empty<bool>());
    }
}
