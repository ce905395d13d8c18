using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// Each row's main output at its last position (next-token logits, or a cached reward model's score) and the buffers
/// ONNX Runtime writes that output into. A one-token step writes straight into the rows' buffer, in the graph's own
/// element type; other calls write [rows, chunk, width] into a native chunk buffer, from which each row's last real
/// position is picked. float16 outputs stay float16: <see cref="View"/> reads them in place, and <see cref="Row"/> widens
/// a row to floats only when asked (once per row and call). A row whose tokens were cut back has no output until it is
/// fed again.
/// </summary>
internal sealed class RowOutputs : IDisposable
{
    private readonly TensorElementType _type;
    private readonly bool _perPositionScalar;
    private float[] _values = Array.Empty<float>();   // pinned [rows, width]: the output itself (float32), or rows widened on demand (float16)
    private Half[] _halves = Array.Empty<Half>();     // pinned [rows, width]: the output itself (float16)
    private bool[] _widened = Array.Empty<bool>();    // float16: row already widened into _values since it was written
    private bool[] _stale = Array.Empty<bool>();
    private OrtValue? _stepView;                        // the output buffer as the main output [rows, 1, width] of a one-token step
    private NativeBuffer _chunk = NativeBuffer.Empty();

    /// <summary>Outputs of <paramref name="width"/> values per row, of a graph whose main output has element type <paramref name="type"/>.</summary>
    public RowOutputs(int width, TensorElementType type, bool perPositionScalar)
    {
        if (type is not (TensorElementType.Float or TensorElementType.Float16))
            throw new NotSupportedException($"Output element type {type} is not supported; expected float or float16.");
        Width = width;
        _type = type;
        _perPositionScalar = perPositionScalar;
    }

    public int Width { get; }

    private bool IsHalf => _type == TensorElementType.Float16;

    private int Rows => _stale.Length;

    /// <summary>The output of <paramref name="row"/> as floats (the caller checks the row exists).</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        CheckFed(row);
        var floats = _values.AsSpan(row * Width, Width);
        if (IsHalf && !_widened[row])
        {
            var halves = _halves.AsSpan(row * Width, Width);
            for (int i = 0; i < Width; i++) floats[i] = (float)halves[i];
            _widened[row] = true;
        }
        return floats;
    }

    /// <summary>True when the graph writes float16 (read <see cref="HalfRow"/>), false for float32 (<see cref="FloatRow"/>).</summary>
    public bool IsFloat16 => IsHalf;

    /// <summary>The float32 output of <paramref name="row"/>, in place (only when not <see cref="IsFloat16"/>).</summary>
    public ReadOnlySpan<float> FloatRow(int row)
    {
        CheckFed(row);
        return _values.AsSpan(row * Width, Width);
    }

    /// <summary>The float16 output of <paramref name="row"/>, in place (only when <see cref="IsFloat16"/>).</summary>
    public ReadOnlySpan<Half> HalfRow(int row)
    {
        CheckFed(row);
        return _halves.AsSpan(row * Width, Width);
    }

    /// <summary>True when a call feeding <paramref name="chunk"/> tokens per row writes straight into the rows' buffer.</summary>
    public bool WritesDirectly(int chunk) => chunk == 1;

    /// <summary>The rows' buffer as the main output of a one-token step ([rows, 1, width], or [rows, 1] for per-position scores); owned here.</summary>
    public OrtValue StepView(int rows)
    {
        Resize(rows);
        if (_stepView is not null) return _stepView;
        long[] shape = _perPositionScalar ? new long[] { rows, 1 } : new long[] { rows, 1, Width };
        var address = IsHalf ? Marshal.UnsafeAddrOfPinnedArrayElement(_halves, 0) : Marshal.UnsafeAddrOfPinnedArrayElement(_values, 0);
        _stepView = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, shape, address, (long)rows * Width * ElementBytes);
        return _stepView;
    }

    /// <summary>A fresh view over the chunk buffer as the main output [rows, chunk, width]; the caller disposes it after the call.</summary>
    public OrtValue ChunkView(int rows, int chunk)
    {
        long bytes = (long)rows * chunk * Width * ElementBytes;
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
        if (IsHalf)
        {
            var data = MemoryMarshal.Cast<byte, Half>(_chunk.Span(rows * stride * 2));
            for (int r = 0; r < rows; r++) data.Slice(r * stride + Last(r), Width).CopyTo(_halves.AsSpan(r * Width, Width));
        }
        else
        {
            var data = MemoryMarshal.Cast<byte, float>(_chunk.Span(rows * stride * sizeof(float)));
            for (int r = 0; r < rows; r++) data.Slice(r * stride + Last(r), Width).CopyTo(_values.AsSpan(r * Width, Width));
        }
    }

    /// <summary>Every row was just fed: all outputs are current (and none widened yet).</summary>
    public void MarkFed()
    {
        Array.Clear(_stale);
        Array.Clear(_widened);
    }

    /// <summary><paramref name="row"/> was cut back: it has no output until it is fed again.</summary>
    public void MarkStale(int row) => _stale[row] = true;

    /// <summary>Rows become copies of <paramref name="sourceRows"/> (no rows: empty).</summary>
    public void Select(ReadOnlySpan<int> sourceRows)
    {
        int rows = sourceRows.Length;
        var values = Pinned<float>(rows * Width);
        var halves = IsHalf ? Pinned<Half>(rows * Width) : Array.Empty<Half>();
        var stale = new bool[rows];
        var widened = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            int s = sourceRows[i];
            if (IsHalf) Array.Copy(_halves, s * Width, halves, i * Width, Width);
            if (!IsHalf || _widened[s]) Array.Copy(_values, s * Width, values, i * Width, Width);
            stale[i] = _stale[s];
            widened[i] = IsHalf && _widened[s];
        }
        Replace(values, halves, stale, widened);
    }

    /// <summary>Row <paramref name="to"/> takes row <paramref name="from"/> of <paramref name="source"/> (this or another).</summary>
    public void CopyRow(RowOutputs source, int from, int to)
    {
        if (IsHalf) Array.Copy(source._halves, from * Width, _halves, to * Width, Width);
        else Array.Copy(source._values, from * Width, _values, to * Width, Width);
        _stale[to] = source._stale[from];
        if (IsHalf) _widened[to] = false;
    }

    private int ElementBytes => IsHalf ? 2 : sizeof(float);

    private void CheckFed(int row)
    {
        if (_stale[row])
            throw new InvalidOperationException($"Row {row} was truncated and has no output yet: feed it a token (Step or Extend) first.");
    }

    private void Resize(int rows)
    {
        if (Rows == rows && _values.Length == rows * Width) return;
        Replace(Pinned<float>(rows * Width), IsHalf ? Pinned<Half>(rows * Width) : Array.Empty<Half>(), new bool[rows], new bool[rows]);
    }

    private static T[] Pinned<T>(int count) => count == 0 ? Array.Empty<T>() : GC.AllocateArray<T>(count, pinned: true);

    /// <summary>Replaces the rows' buffers (the step view over the old ones is dropped).</summary>
    private void Replace(float[] values, Half[] halves, bool[] stale, bool[] widened)
    {
        _stepView?.Dispose();
        _stepView = null;
        _values = values;
        _halves = halves;
        _stale = stale;
        _widened = widened;
    }

    public void Dispose()
    {
        _chunk.Dispose();
        Replace(Array.Empty<float>(), Array.Empty<Half>(), Array.Empty<bool>(), Array.Empty<bool>());
    }
}
