using System.Diagnostics;
using System.Runtime.InteropServices;
using AlignedGen.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Models;

/// <summary>
/// A batch of sequences in an ONNX decoder with a KV cache. Inputs, outputs and the cache live in fixed buffers that
/// ONNX Runtime reads and writes in place (<see cref="KeyValueCache"/>): a step feeds the current cache as
/// <c>past_key_values.*</c> and binds the spare buffers as <c>present.*</c>, and step logits are written straight into
/// the rows' output buffer. For GroupQueryAttention graphs past and present are one buffer with room to grow, which the
/// op appends to in place (onnxruntime-genai's past_present_share_buffer). Rows are rearranged (dropped, forked) by one
/// gather copy. Works for causal LMs (<c>logits</c>) and cached reward models (<c>scores</c>).
/// </summary>
internal sealed class OnnxDecoderState : IDecoderState
{
    private readonly InferenceSession _session;
    private readonly DecoderSignature _sig;
    private readonly int _padTokenId;
    private readonly bool _shareBuffers;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly RunOptions _runOptions = new();
    private readonly KeyValueCache _cache;
    private readonly PinnedIntegerInput _ids;
    private readonly PinnedIntegerInput _attention;
    private readonly PinnedIntegerInput _positions;

    private int _rows;
    private int _total;                 // cache length (positions, padding included) shared by all rows
    private long[] _mask = new long[64];  // [rows, _maskStride]: 1 = real token, 0 = padding
    private int _maskStride = 0;
    private int[] _lengths = Array.Empty<int>(); // real tokens per row
    private float[] _output = Array.Empty<float>(); // pinned: [rows, width], each row's last-position output
    private OrtValue? _stepOutputView;              // _output as the main output [rows, 1, width] of a one-token step
    private NativeBuffer _chunkOutput = NativeBuffer.Empty(); // the main output of other calls, before picking last positions
    private readonly int _width;
    private bool _disposed;

    /// <summary>Creates an empty state; <paramref name="shareBuffers"/> false keeps GroupQueryAttention graphs on separate past and present buffers (for comparisons).</summary>
    public OnnxDecoderState(InferenceSession session, DecoderSignature signature, int padTokenId, int outputWidth, bool shareBuffers = true)
    {
        _session = session;
        _sig = signature;
        _padTokenId = padTokenId;
        _width = outputWidth;
        _shareBuffers = shareBuffers && signature.RightPadded;
        var names = new List<string> { _sig.InputIds, _sig.AttentionMask };
        if (_sig.PositionIds is not null) names.Add(_sig.PositionIds);
        for (int i = 0; i < _sig.Layers; i++) { names.Add(_sig.PastKeys[i]); names.Add(_sig.PastValues[i]); }
        _inputNames = names.ToArray();
        _inputValues = new OrtValue[_inputNames.Length];
        var outs = new List<string> { _sig.MainOutput };
        for (int i = 0; i < _sig.Layers; i++) { outs.Add(_sig.PresentKeys[i]); outs.Add(_sig.PresentValues[i]); }
        _outputNames = outs.ToArray();
        _outputValues = new OrtValue[_outputNames.Length];
        _cache = new KeyValueCache(2 * _sig.Layers, _sig.CacheType, _sig.KeyValueHeads, _sig.HeadSize);
        _ids = new PinnedIntegerInput(_sig.IdsType, _sig.InputIds);
        _attention = new PinnedIntegerInput(_sig.MaskType, _sig.AttentionMask);
        _positions = new PinnedIntegerInput(TensorElementType.Int64, _sig.PositionIds ?? "position_ids");
    }

    /// <summary>True when past and present share one buffer that the graph appends to in place.</summary>
    internal bool SharesBuffers => _shareBuffers;

    public int RowCount => _rows;
    public int OutputWidth => _width;
    public DecoderCounters Counters { get; } = new();
    public int Length(int row) => _lengths[row];

    /// <summary>Cache length including padding columns (for tests and reports).</summary>
    internal int CacheLength => _total;

    public ReadOnlySpan<float> Output(int row)
    {
        if ((uint)row >= (uint)_rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {_rows}).");
        return new ReadOnlySpan<float>(_output, row * _width, _width);
    }

    public void Step(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != _rows)
            throw new ArgumentException($"Step needs one token per row: got {tokens.Length} tokens for {_rows} rows.", nameof(tokens));
        if (_rows == 0) throw new InvalidOperationException("Step on an empty state: call Extend (prefill) first.");
        EnsureMaskCapacity(_rows, _total + 1);
        var ids = _ids.Values(_rows);
        var positions = _positions.Values(_rows);
        for (int r = 0; r < _rows; r++)
        {
            ids[r] = tokens[r];
            positions[r] = _lengths[r];
            _mask[r * _maskStride + (_sig.RightPadded ? _lengths[r] : _total)] = 1;
            _lengths[r]++;
        }
        Run(_rows, 1, _rows, lastIndex: null);
    }

    public void Extend(IReadOnlyList<IReadOnlyList<int>> tokensPerRow)
    {
        ArgumentNullException.ThrowIfNull(tokensPerRow);
        if (_rows != 0 && tokensPerRow.Count != _rows)
            throw new ArgumentException($"Extend needs a token list for each of the {_rows} rows; got {tokensPerRow.Count}.", nameof(tokensPerRow));
        if (tokensPerRow.Count == 0) throw new ArgumentException("Extend needs at least one row.", nameof(tokensPerRow));
        int rows = tokensPerRow.Count;
        int chunk = 0;
        long real = 0;
        for (int r = 0; r < rows; r++)
        {
            var t = tokensPerRow[r] ?? throw new ArgumentException($"Row {r} has no token list.", nameof(tokensPerRow));
            if (t.Count == 0) throw new ArgumentException($"Row {r} has no tokens; every row needs at least one.", nameof(tokensPerRow));
            chunk = Math.Max(chunk, t.Count);
            real += t.Count;
        }
        bool prefill = _rows == 0;
        if (_sig.RightPadded && !prefill && tokensPerRow.Any(t => t.Count != chunk))
            throw new NotSupportedException(
                "This model uses GroupQueryAttention, which cannot take chunks of different lengths after the prefill. Extend every row by the same number of tokens, or re-prefill.");
        if (prefill)
        {
            _rows = rows;
            _lengths = new int[rows];
            _total = 0;
            _cache.Reset(rows);
            Array.Clear(_mask);
        }
        EnsureMaskCapacity(rows, _total + chunk);
        var ids = _ids.Values(rows * chunk);
        var positions = _positions.Values(rows * chunk);
        var last = _sig.RightPadded ? new int[rows] : null;
        for (int r = 0; r < rows; r++)
        {
            var t = tokensPerRow[r];
            int pad = chunk - t.Count;
            int pos = _lengths[r];
            if (_sig.RightPadded)
            {
                // Real tokens first, padding after; the mask's ones stay contiguous from column 0.
                for (int j = 0; j < chunk; j++)
                {
                    bool isPad = j >= t.Count;
                    ids[r * chunk + j] = isPad ? _padTokenId : t[j];
                    positions[r * chunk + j] = isPad ? 0 : pos + j;
                }
                for (int j = 0; j < t.Count; j++) _mask[r * _maskStride + pos + j] = 1;
                last![r] = t.Count - 1;
                pos += t.Count;
            }
            else
            {
                for (int j = 0; j < chunk; j++)
                {
                    bool isPad = j < pad;
                    ids[r * chunk + j] = isPad ? _padTokenId : t[j - pad];
                    positions[r * chunk + j] = isPad ? Math.Max(0, pos - 1) : pos++;
                    _mask[r * _maskStride + _total + j] = isPad ? 0 : 1;
                }
            }
            _lengths[r] = pos;
        }
        Run(rows, chunk, real, last);
    }

    public void SelectRows(ReadOnlySpan<int> sourceRows)
    {
        if (_rows == 0) throw new InvalidOperationException("SelectRows on an empty state: call Extend (prefill) first.");
        foreach (var s in sourceRows)
            if ((uint)s >= (uint)_rows) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {_rows}).");
        int newRows = sourceRows.Length;
        if (newRows == 0) { _cache.Reset(0); _rows = 0; _total = 0; _lengths = Array.Empty<int>(); SetOutput(Array.Empty<float>()); return; }
        // Columns that are padding in every kept row are dropped from the cache: leading ones (left padding) or
        // trailing ones (right padding).
        int trim = _sig.RightPadded ? 0 : _total;
        int newTotal;
        if (_sig.RightPadded)
        {
            newTotal = 0;
            foreach (var s in sourceRows) newTotal = Math.Max(newTotal, _lengths[s]);
        }
        else
        {
            foreach (var s in sourceRows)
            {
                int lead = 0;
                while (lead < _total && _mask[s * _maskStride + lead] == 0) lead++;
                trim = Math.Min(trim, lead);
                if (trim == 0) break;
            }
            newTotal = _total - trim;
        }
        // A shared buffer keeps its room to grow; separate buffers hold exactly the positions in use.
        _cache.PrepareNext(newRows, _shareBuffers ? _cache.Length : newTotal);
        int position = _cache.PositionBytes;
        for (int t = 0; t < _cache.TensorCount; t++)
        {
            var src = _cache.Data(t);
            var dst = _cache.NextData(t);
            for (int i = 0; i < newRows; i++)
                for (int h = 0; h < _sig.KeyValueHeads; h++)
                {
                    var from = src.Slice(HeadOffset(sourceRows[i], h, _cache.Length) + trim * position, newTotal * position);
                    from.CopyTo(dst.Slice(HeadOffset(i, h, _shareBuffers ? _cache.Length : newTotal)));
                }
        }
        _cache.CommitNext();

        var newMask = new long[Math.Max(64, newRows * Math.Max(_maskStride, 1))];
        var newOutput = PinnedFloats(newRows * _width);
        var newLengths = new int[newRows];
        for (int i = 0; i < newRows; i++)
        {
            int s = sourceRows[i];
            Array.Copy(_mask, s * _maskStride + trim, newMask, i * _maskStride, newTotal);
            Array.Copy(_output, s * _width, newOutput, i * _width, _width);
            newLengths[i] = _lengths[s];
        }
        _mask = newMask;
        SetOutput(newOutput);
        _lengths = newLengths;
        _rows = newRows;
        _total = newTotal;
    }

    public void CopyLastPosition(ReadOnlySpan<int> sourceRows)
    {
        if (sourceRows.Length != _rows)
            throw new ArgumentException($"CopyLastPosition needs one source row per row: got {sourceRows.Length} for {_rows} rows.", nameof(sourceRows));
        int entry = _cache.PositionBytes;
        for (int r = 0; r < _rows; r++)
        {
            int s = sourceRows[r];
            if (s == r) continue;
            if ((uint)s >= (uint)_rows) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {_rows}).");
            if (_lengths[s] != _lengths[r])
                throw new ArgumentException($"Rows {s} and {r} hold {_lengths[s]} and {_lengths[r]} tokens; CopyLastPosition needs equal lengths.", nameof(sourceRows));
            int position = (_sig.RightPadded ? _lengths[r] - 1 : _total - 1) * entry;
            for (int t = 0; t < _cache.TensorCount; t++)
            {
                var data = _cache.Data(t);
                for (int h = 0; h < _sig.KeyValueHeads; h++)
                    data.Slice(HeadOffset(s, h, _cache.Length) + position, entry).CopyTo(data.Slice(HeadOffset(r, h, _cache.Length) + position, entry));
            }
            Array.Copy(_output, s * _width, _output, r * _width, _width);
        }
    }

    public void Refill(ReadOnlySpan<int> rows, IReadOnlyList<IReadOnlyList<int>> tokensPerRow)
    {
        ArgumentNullException.ThrowIfNull(tokensPerRow);
        if (rows.Length != tokensPerRow.Count)
            throw new ArgumentException($"Refill needs one token list per refilled row: got {tokensPerRow.Count} lists for {rows.Length} rows.", nameof(tokensPerRow));
        if (rows.Length == 0) return;
        if (_rows == 0) throw new InvalidOperationException("Refill on an empty state: call Extend (prefill) first.");
        var slot = new int[_rows];
        Array.Fill(slot, -1);
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)_rows) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Refilled row must be in [0, {_rows}).");
            if (slot[r] >= 0) throw new ArgumentException($"Row {r} appears twice; refill each row once.", nameof(rows));
            slot[r] = i;
        }

        // Prefill the refilled rows alone, then merge their caches in: rows stay aligned the way this state pads
        // (real tokens at the right end for left padding, at the left end for right padding); new padding is zeroed.
        using var fresh = new OnnxDecoderState(_session, _sig, _padTokenId, _width, _shareBuffers);
        fresh.Extend(tokensPerRow);
        Counters.Add(fresh.Counters);
        int newTotal = Math.Max(_total, fresh._total);
        int newLength = !_shareBuffers ? newTotal : _cache.Length >= newTotal ? _cache.Length : GrownCapacity(newTotal);
        _cache.PrepareNext(_rows, newLength);
        int position = _cache.PositionBytes;
        for (int t = 0; t < _cache.TensorCount; t++)
        {
            var dst = _cache.NextData(t);
            dst.Clear();
            var kept = _cache.Data(t);
            var refilled = fresh._cache.Data(t);
            for (int r = 0; r < _rows; r++)
            {
                bool isRefilled = slot[r] >= 0;
                int srcRow = isRefilled ? slot[r] : r;
                int length = isRefilled ? fresh._total : _total;
                int srcLength = isRefilled ? fresh._cache.Length : _cache.Length;
                var src = isRefilled ? refilled : kept;
                int offset = (_sig.RightPadded ? 0 : newTotal - length) * position;
                for (int h = 0; h < _sig.KeyValueHeads; h++)
                    src.Slice(HeadOffset(srcRow, h, srcLength), length * position).CopyTo(dst.Slice(HeadOffset(r, h, newLength) + offset));
            }
        }
        _cache.CommitNext();

        int stride = Math.Max(16, Math.Max(_maskStride, newTotal));
        var newMask = new long[Math.Max(64, _rows * stride)];
        for (int r = 0; r < _rows; r++)
        {
            int i = slot[r];
            var (mask, from, length) = i < 0 ? (_mask, r * _maskStride, _total) : (fresh._mask, i * fresh._maskStride, fresh._total);
            Array.Copy(mask, from, newMask, r * stride + (_sig.RightPadded ? 0 : newTotal - length), length);
            if (i < 0) continue;
            _lengths[r] = fresh._lengths[i];
            Array.Copy(fresh._output, i * _width, _output, r * _width, _width);
        }
        _mask = newMask;
        _maskStride = stride;
        _total = newTotal;
    }

    /// <summary>Byte offset of head <paramref name="head"/> of row <paramref name="row"/> in a cache tensor with <paramref name="length"/> positions per head.</summary>
    private int HeadOffset(int row, int head, int length) => (row * _sig.KeyValueHeads + head) * length * _cache.PositionBytes;

    /// <summary>Room a shared buffer gets when it must hold <paramref name="needed"/> positions: half as much again, at least 32 more.</summary>
    private static int GrownCapacity(int needed) => needed + Math.Max(32, needed / 2);

    /// <summary>Grows a shared buffer (copying every row's positions) so it holds at least <paramref name="needed"/> positions.</summary>
    private void EnsureSharedCapacity(int needed)
    {
        if (_cache.Length >= needed) return;
        int capacity = GrownCapacity(needed);
        int oldLength = _cache.Length;
        _cache.PrepareNext(_cache.Rows, capacity);
        for (int t = 0; t < _cache.TensorCount; t++)
        {
            var src = _cache.Data(t);
            var dst = _cache.NextData(t);
            for (int r = 0; r < _cache.Rows; r++)
                for (int h = 0; h < _sig.KeyValueHeads; h++)
                    src.Slice(HeadOffset(r, h, oldLength), _total * _cache.PositionBytes).CopyTo(dst.Slice(HeadOffset(r, h, capacity)));
        }
        _cache.CommitNext();
    }

    private void Run(int rows, int chunk, long realTokens, int[]? lastIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int total = _total + chunk;
        var mask = _attention.Values(rows * total);
        for (int r = 0; r < rows; r++)
            _mask.AsSpan(r * _maskStride, total).CopyTo(mask.Slice(r * total, total));

        int k = 0;
        _inputValues[k++] = _ids.View(rows, chunk);
        _inputValues[k++] = _attention.View(rows, total);
        if (_sig.PositionIds is not null) _inputValues[k++] = _positions.View(rows, chunk);
        IReadOnlyList<OrtValue>? presents = null;
        if (_shareBuffers) EnsureSharedCapacity(total);
        else presents = _cache.PrepareNext(rows, total);
        for (int t = 0; t < _cache.TensorCount; t++)
        {
            _inputValues[k + t] = _cache.View(t);
            _outputValues[1 + t] = presents?[t] ?? _cache.View(t);   // shared: the op appends to the past in place
        }
        bool direct = chunk == 1 && _sig.OutputType == TensorElementType.Float;
        _outputValues[0] = direct ? StepOutputView(rows) : ChunkOutputView(rows, chunk);
        try
        {
            long start = Stopwatch.GetTimestamp();
            _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
            Counters.ModelTime += Stopwatch.GetElapsedTime(start);
        }
        catch
        {
            _cache.AbandonNext();
            throw;
        }
        finally
        {
            if (!direct) _outputValues[0].Dispose();
        }
        Counters.Calls++;
        Counters.TokenPositions += (long)rows * chunk;
        Counters.Tokens += realTokens;
        if (!_shareBuffers) _cache.CommitNext();
        if (!direct) CopyLastPosition(rows, chunk, lastIndex);
        _total = total;
    }

    /// <summary>The rows' output buffer as the main output of a one-token step ([rows, 1, width], or [rows, 1] for per-position scores).</summary>
    private OrtValue StepOutputView(int rows)
    {
        if (_output.Length != rows * _width) SetOutput(PinnedFloats(rows * _width));
        if (_stepOutputView is not null) return _stepOutputView;
        long[] shape = _sig.OutputIsPerPositionScalar ? new long[] { rows, 1 } : new long[] { rows, 1, _width };
        _stepOutputView = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape,
            Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0), (long)_output.Length * sizeof(float));
        return _stepOutputView;
    }

    /// <summary>A fresh view over the pinned chunk buffer as the main output [rows, chunk, width] (disposed after the call).</summary>
    private OrtValue ChunkOutputView(int rows, int chunk)
    {
        long count = (long)rows * chunk * _width;
        long bytes = count * KeyValueCache.ElementSize(_sig.OutputType is TensorElementType.Float16 ? TensorElementType.Float16 : TensorElementType.Float);
        if (_sig.OutputType is not (TensorElementType.Float or TensorElementType.Float16))
            throw new NotSupportedException($"Output element type {_sig.OutputType} is not supported; expected float or float16.");
        if (bytes > Array.MaxLength)
            throw new NotSupportedException($"The output of {rows} rows × {chunk} tokens × {_width} needs {bytes} bytes; feed the prompt in smaller chunks or smaller batches.");
        if (_chunkOutput.Bytes < bytes)
        {
            _chunkOutput.Dispose();
            _chunkOutput = new NativeBuffer(bytes);
        }
        long[] shape = _sig.OutputIsPerPositionScalar ? new long[] { rows, chunk } : new long[] { rows, chunk, _width };
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, _sig.OutputType, shape, _chunkOutput.Pointer, bytes);
    }

    /// <summary>Copies each row's output at its last real position from the chunk buffer into the rows' output buffer.</summary>
    private void CopyLastPosition(int rows, int chunk, int[]? lastIndex)
    {
        if (_output.Length != rows * _width) SetOutput(PinnedFloats(rows * _width));
        int stride = chunk * _width;
        int Last(int r) => (lastIndex is null ? chunk - 1 : lastIndex[r]) * _width;
        if (_sig.OutputType == TensorElementType.Float)
        {
            var data = MemoryMarshal.Cast<byte, float>(_chunkOutput.Span(rows * stride * sizeof(float)));
            for (int r = 0; r < rows; r++)
                data.Slice(r * stride + Last(r), _width).CopyTo(_output.AsSpan(r * _width, _width));
        }
        else
        {
            var data = MemoryMarshal.Cast<byte, Half>(_chunkOutput.Span(rows * stride * 2));
            for (int r = 0; r < rows; r++)
            {
                var src = data.Slice(r * stride + Last(r), _width);
                var dst = _output.AsSpan(r * _width, _width);
                for (int i = 0; i < _width; i++) dst[i] = (float)src[i];
            }
        }
    }

    private static float[] PinnedFloats(int count) => count == 0 ? Array.Empty<float>() : GC.AllocateArray<float>(count, pinned: true);

    /// <summary>Replaces the rows' output buffer (the step view over the old one is dropped).</summary>
    private void SetOutput(float[] output)
    {
        _stepOutputView?.Dispose();
        _stepOutputView = null;
        _output = output;
    }

    private void EnsureMaskCapacity(int rows, int total)
    {
        if (total <= _maskStride && rows * _maskStride <= _mask.Length) return;
        int stride = Math.Max(total, Math.Max(16, _maskStride * 2));
        var bigger = new long[rows * stride];
        for (int r = 0; r < Math.Min(rows, _rows); r++)
            Array.Copy(_mask, r * _maskStride, bigger, r * stride, _total);
        _mask = bigger;
        _maskStride = stride;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cache.Dispose();
        _ids.Dispose();
        _attention.Dispose();
        _positions.Dispose();
        _chunkOutput.Dispose();
        SetOutput(Array.Empty<float>());
        _runOptions.Dispose();
    }
}
