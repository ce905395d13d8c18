using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// The KV cache of a decoder state: for every layer a key and a value tensor [rows, kv_heads, length, head_size], held
/// in native buffers that ONNX Runtime reads and writes in place. Each tensor has two buffers: the current one (fed as
/// <c>past_key_values.*</c>) and a spare one that the next model call writes its <c>present.*</c> outputs into; then
/// they swap. So a decoding step allocates no cache memory, and ONNX Runtime allocates no outputs. Row operations
/// (select, fork, trim, grow, merge, rewind) are one copy into the spare buffers; which positions move where is the
/// caller's padding rule (<see cref="PaddingLayout"/>), not the cache's.
/// </summary>
internal sealed class KeyValueCache : IDisposable
{
    private readonly TensorElementType _type;
    private readonly int _kvHeads;
    private readonly int _headBytes;   // bytes of one position of one head
    private NativeBuffer[] _current;
    private NativeBuffer[] _spare;
    private OrtValue[] _views;
    private OrtValue[]? _next;
    private int _nextRows;
    private int _nextLength;

    /// <summary>Creates an empty cache (no rows) for <paramref name="tensors"/> tensors (2 per layer: key, value).</summary>
    public KeyValueCache(int tensors, TensorElementType type, int kvHeads, int headSize)
    {
        _type = type;
        _kvHeads = kvHeads;
        _headBytes = headSize * ElementSize(type);
        _current = new NativeBuffer[tensors];
        _spare = new NativeBuffer[tensors];
        for (int i = 0; i < tensors; i++) { _current[i] = NativeBuffer.Empty(); _spare[i] = NativeBuffer.Empty(); }
        _views = Array.Empty<OrtValue>();
    }

    /// <summary>Rows (batch) of the current tensors.</summary>
    public int Rows { get; private set; }

    /// <summary>Positions per head in the current tensors (the tensors' third dimension).</summary>
    public int Length { get; private set; }

    /// <summary>Number of tensors (2 per layer).</summary>
    public int TensorCount => _current.Length;

    /// <summary>Bytes of one position of one head.</summary>
    public int PositionBytes => _headBytes;

    /// <summary>Bytes of one head's block (all positions) in the current tensors.</summary>
    public int HeadBlockBytes => Length * _headBytes;

    /// <summary>Bytes of one row in the current tensors.</summary>
    public int RowBytes => _kvHeads * HeadBlockBytes;

    /// <summary>The current tensor <paramref name="index"/> as an ONNX Runtime value (owned by the cache).</summary>
    public OrtValue View(int index) => _views[index];

    /// <summary>The bytes of current tensor <paramref name="index"/>.</summary>
    public Span<byte> Data(int index) => _current[index].Span(Rows * RowBytes);

    /// <summary>The bytes the next tensors will hold, valid between <see cref="PrepareNext"/> and <see cref="CommitNext"/>.</summary>
    public Span<byte> NextData(int index) => _spare[index].Span(_nextRows * _kvHeads * _nextLength * _headBytes);

    /// <summary>Drops everything and holds <paramref name="rows"/> rows of length 0.</summary>
    public void Reset(int rows)
    {
        PrepareNext(rows, 0);
        CommitNext();
    }

    /// <summary>
    /// Creates views [rows, kv_heads, length, head_size] over the spare buffers (grown when too small; contents are
    /// not cleared) for a model call's <c>present.*</c> outputs or a rearrangement; <see cref="CommitNext"/> makes them current.
    /// </summary>
    public IReadOnlyList<OrtValue> PrepareNext(int rows, int length)
    {
        AbandonNext();
        long bytes = (long)rows * _kvHeads * length * _headBytes;
        if (bytes > Array.MaxLength)
            throw new NotSupportedException($"A KV-cache tensor of {rows} rows × {_kvHeads} heads × {length} positions needs {bytes} bytes; the most one tensor may hold is {Array.MaxLength}. Use a smaller batch or a shorter context.");
        var shape = new long[] { rows, _kvHeads, length, _headBytes / ElementSize(_type) };
        var next = new OrtValue[_spare.Length];
        try
        {
            for (int i = 0; i < _spare.Length; i++)
            {
                if (_spare[i].Bytes < Math.Max(bytes, 1))
                {
                    _spare[i].Dispose();
                    _spare[i] = new NativeBuffer(Math.Min(Array.MaxLength, Math.Max(256, bytes + bytes / 2)));
                }
                next[i] = CreateView(_spare[i], shape, bytes);
            }
        }
        catch
        {
            foreach (var v in next) v?.Dispose();
            throw;
        }
        _next = next;
        _nextRows = rows;
        _nextLength = length;
        return next;
    }

    /// <summary>Makes the prepared tensors current; the old current buffers become the spare ones.</summary>
    public void CommitNext()
    {
        var next = _next ?? throw new InvalidOperationException("CommitNext without PrepareNext.");
        foreach (var v in _views) v.Dispose();
        _views = next;
        _next = null;
        (_current, _spare) = (_spare, _current);
        Rows = _nextRows;
        Length = _nextLength;
    }

    /// <summary>
    /// Rows become copies of <paramref name="sourceRows"/> (dropped, forked, reordered) holding <paramref name="columns"/>'s
    /// positions moved as it says, in tensors of <paramref name="capacity"/> positions.
    /// </summary>
    public void SelectRows(ReadOnlySpan<int> sourceRows, ColumnMove columns, int capacity)
    {
        var copies = new RowCopy[sourceRows.Length];
        for (int i = 0; i < copies.Length; i++) copies[i] = new RowCopy(this, sourceRows[i], columns);
        Rearrange(copies, capacity, clear: false);
    }

    /// <summary>Room a shared past/present buffer gets when it must hold <paramref name="needed"/> positions: its own if enough, else half as much again, at least 32 more.</summary>
    public int CapacityFor(int needed) => Length >= needed ? Length : needed + Math.Max(32, needed / 2);

    /// <summary>Grows the tensors (same rows, first <paramref name="used"/> positions kept) so they hold at least <paramref name="needed"/> positions.</summary>
    public void EnsureCapacity(int needed, int used)
    {
        if (Length >= needed) return;
        var copies = new RowCopy[Rows];
        for (int r = 0; r < Rows; r++) copies[r] = new RowCopy(this, r, new ColumnMove(0, used, 0));
        Rearrange(copies, CapacityFor(needed), clear: false);
    }

    /// <summary>Copies position <paramref name="position"/> of row <paramref name="from"/> over row <paramref name="to"/> in every tensor, in place.</summary>
    public void CopyPosition(int from, int to, int position)
    {
        int offset = position * _headBytes;
        for (int t = 0; t < TensorCount; t++)
        {
            var data = Data(t);
            for (int h = 0; h < _kvHeads; h++)
                data.Slice(HeadOffset(from, h, Length) + offset, _headBytes).CopyTo(data.Slice(HeadOffset(to, h, Length) + offset, _headBytes));
        }
    }

    /// <summary>
    /// Rebuilds the tensors row by row in one copy: new row i is <c>copies[i]</c> (positions of a row of this cache or
    /// of another with the same geometry), in tensors of <paramref name="capacity"/> positions. With
    /// <paramref name="clear"/> every position no copy writes is zero (padding must hold finite values: masked
    /// attention still multiplies it by zero); without, such positions hold whatever the spare buffer held.
    /// </summary>
    public void Rearrange(ReadOnlySpan<RowCopy> copies, int capacity, bool clear)
    {
        PrepareNext(copies.Length, capacity);
        for (int t = 0; t < TensorCount; t++)
        {
            var dst = NextData(t);
            if (clear) dst.Clear();
            for (int i = 0; i < copies.Length; i++)
            {
                var (source, row, (start, count, offset)) = copies[i];
                var src = source.Data(t);
                for (int h = 0; h < _kvHeads; h++)
                    src.Slice(source.HeadOffset(row, h, source.Length) + start * _headBytes, count * _headBytes)
                        .CopyTo(dst.Slice(HeadOffset(i, h, capacity) + offset * _headBytes));
            }
        }
        CommitNext();
    }

    /// <summary>Discards prepared tensors that were not committed (a failed model call).</summary>
    public void AbandonNext()
    {
        if (_next is null) return;
        foreach (var v in _next) v.Dispose();
        _next = null;
    }

    public void Dispose()
    {
        AbandonNext();
        foreach (var v in _views) v.Dispose();
        _views = Array.Empty<OrtValue>();
        foreach (var b in _current) b.Dispose();
        foreach (var b in _spare) b.Dispose();
        Rows = 0;
        Length = 0;
    }

    internal static int ElementSize(TensorElementType t) => t switch
    {
        TensorElementType.Float => 4,
        TensorElementType.Float16 => 2,
        TensorElementType.BFloat16 => 2,
        TensorElementType.Double => 8,
        _ => throw new NotSupportedException($"KV-cache element type {t} is not supported."),
    };

    /// <summary>Byte offset of head <paramref name="head"/> of row <paramref name="row"/> in a tensor with <paramref name="length"/> positions per head.</summary>
    private int HeadOffset(int row, int head, int length) => (row * _kvHeads + head) * length * _headBytes;

    /// <summary>
    /// Bytes the cache of <paramref name="tensors"/> tensors holds at its peak for <paramref name="rows"/> rows of
    /// <paramref name="length"/> positions: every tensor's current and spare buffers written in full (a step writes the
    /// next cache while reading the current one). Room a buffer reserves but nothing has written is not counted: it is
    /// not resident.
    /// </summary>
    public static long PeakBytes(int tensors, TensorElementType type, int kvHeads, int headSize, int rows, int length) =>
        2L * tensors * kvHeads * headSize * ElementSize(type) * rows * length;

    /// <summary>A tensor view over the start of a buffer (the buffer must outlive the view).</summary>
    private OrtValue CreateView(NativeBuffer buffer, long[] shape, long bytes)
        => OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _type, shape, buffer.Pointer, bytes);
}

/// <summary>One row of a rearranged cache: row <paramref name="Row"/> of <paramref name="Source"/>, its positions moved as <paramref name="Columns"/> says.</summary>
internal readonly record struct RowCopy(KeyValueCache Source, int Row, ColumnMove Columns);
