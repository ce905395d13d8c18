using System.Diagnostics;
using System.Runtime.InteropServices;
using AlignedGen.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// A batch of sequences in an ONNX decoder with a KV cache. The cache is the previous call's <c>present.*</c> outputs,
/// fed back as <c>past_key_values.*</c> without copies; rows are rearranged (dropped, forked) by one gather copy.
/// Input buffers are reused across calls. Works for causal LMs (<c>logits</c>) and cached reward models (<c>scores</c>).
/// </summary>
internal sealed class OnnxDecoderState : IDecoderState
{
    private readonly InferenceSession _session;
    private readonly DecoderSignature _sig;
    private readonly int _padTokenId;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputValues;
    private readonly RunOptions _runOptions = new();

    private OrtValue[] _keys = Array.Empty<OrtValue>();
    private OrtValue[] _values = Array.Empty<OrtValue>();
    private int _rows;
    private int _total;                 // cache length (positions, padding included) shared by all rows
    private long[] _mask = new long[64];  // [rows, _maskStride]: 1 = real token, 0 = padding
    private int _maskStride = 0;
    private int[] _lengths = Array.Empty<int>(); // real tokens per row
    private float[] _output = Array.Empty<float>();
    private long[] _idsBuffer = new long[64];
    private long[] _posBuffer = new long[64];
    private long[] _maskBuffer = new long[256];
    private int[] _ids32 = Array.Empty<int>();
    private int[] _mask32 = Array.Empty<int>();
    private readonly int _width;
    private bool _disposed;

    public OnnxDecoderState(InferenceSession session, DecoderSignature signature, int padTokenId, int outputWidth)
    {
        _session = session;
        _sig = signature;
        _padTokenId = padTokenId;
        _width = outputWidth;
        var names = new List<string> { _sig.InputIds, _sig.AttentionMask };
        if (_sig.PositionIds is not null) names.Add(_sig.PositionIds);
        for (int i = 0; i < _sig.Layers; i++) { names.Add(_sig.PastKeys[i]); names.Add(_sig.PastValues[i]); }
        _inputNames = names.ToArray();
        _inputValues = new OrtValue[_inputNames.Length];
        var outs = new List<string> { _sig.MainOutput };
        for (int i = 0; i < _sig.Layers; i++) { outs.Add(_sig.PresentKeys[i]); outs.Add(_sig.PresentValues[i]); }
        _outputNames = outs.ToArray();
    }

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
        EnsureCapacity(ref _idsBuffer, _rows);
        EnsureCapacity(ref _posBuffer, _rows);
        for (int r = 0; r < _rows; r++)
        {
            _idsBuffer[r] = tokens[r];
            _posBuffer[r] = _lengths[r];
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
            AllocateEmptyCache(rows);
        }
        EnsureMaskCapacity(rows, _total + chunk);
        EnsureCapacity(ref _idsBuffer, rows * chunk);
        EnsureCapacity(ref _posBuffer, rows * chunk);
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
                    _idsBuffer[r * chunk + j] = isPad ? _padTokenId : t[j];
                    _posBuffer[r * chunk + j] = isPad ? 0 : pos + j;
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
                    _idsBuffer[r * chunk + j] = isPad ? _padTokenId : t[j - pad];
                    _posBuffer[r * chunk + j] = isPad ? Math.Max(0, pos - 1) : pos++;
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
        if (newRows == 0) { ReleaseCache(); _rows = 0; _total = 0; _lengths = Array.Empty<int>(); return; }
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
        long[] shape = { newRows, _sig.KeyValueHeads, newTotal, _sig.HeadSize };
        int elem = ElementSize(_sig.CacheType);
        int rowBlock = _sig.KeyValueHeads * _total * _sig.HeadSize * elem;
        int headOld = _total * _sig.HeadSize * elem;
        int headNew = newTotal * _sig.HeadSize * elem;
        int skip = trim * _sig.HeadSize * elem;
        var newKeys = new OrtValue[_sig.Layers];
        var newValues = new OrtValue[_sig.Layers];
        for (int l = 0; l < _sig.Layers; l++)
        {
            newKeys[l] = Gather(_keys[l], sourceRows, shape, rowBlock, headOld, headNew, skip);
            newValues[l] = Gather(_values[l], sourceRows, shape, rowBlock, headOld, headNew, skip);
        }
        ReleaseCache();
        _keys = newKeys;
        _values = newValues;

        var newMask = new long[Math.Max(64, newRows * Math.Max(_maskStride, 1))];
        var newOutput = new float[newRows * _width];
        var newLengths = new int[newRows];
        for (int i = 0; i < newRows; i++)
        {
            int s = sourceRows[i];
            Array.Copy(_mask, s * _maskStride + trim, newMask, i * _maskStride, newTotal);
            Array.Copy(_output, s * _width, newOutput, i * _width, _width);
            newLengths[i] = _lengths[s];
        }
        _mask = newMask;
        _output = newOutput;
        _lengths = newLengths;
        _rows = newRows;
        _total = newTotal;
    }

    public void CopyLastPosition(ReadOnlySpan<int> sourceRows)
    {
        if (sourceRows.Length != _rows)
            throw new ArgumentException($"CopyLastPosition needs one source row per row: got {sourceRows.Length} for {_rows} rows.", nameof(sourceRows));
        int elem = ElementSize(_sig.CacheType);
        int entry = _sig.HeadSize * elem;
        int head = _total * entry;
        int row = _sig.KeyValueHeads * head;
        for (int r = 0; r < _rows; r++)
        {
            int s = sourceRows[r];
            if (s == r) continue;
            if ((uint)s >= (uint)_rows) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {_rows}).");
            if (_lengths[s] != _lengths[r])
                throw new ArgumentException($"Rows {s} and {r} hold {_lengths[s]} and {_lengths[r]} tokens; CopyLastPosition needs equal lengths.", nameof(sourceRows));
            int position = _sig.RightPadded ? _lengths[r] - 1 : _total - 1;
            for (int l = 0; l < _sig.Layers; l++)
            {
                var keys = _keys[l].GetTensorMutableRawData();
                var values = _values[l].GetTensorMutableRawData();
                for (int h = 0; h < _sig.KeyValueHeads; h++)
                {
                    int from = s * row + h * head + position * entry, to = r * row + h * head + position * entry;
                    keys.Slice(from, entry).CopyTo(keys.Slice(to, entry));
                    values.Slice(from, entry).CopyTo(values.Slice(to, entry));
                }
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
        using var fresh = new OnnxDecoderState(_session, _sig, _padTokenId, _width);
        fresh.Extend(tokensPerRow);
        Counters.Add(fresh.Counters);
        int newTotal = Math.Max(_total, fresh._total);
        long[] shape = { _rows, _sig.KeyValueHeads, newTotal, _sig.HeadSize };
        var newKeys = new OrtValue[_sig.Layers];
        var newValues = new OrtValue[_sig.Layers];
        for (int l = 0; l < _sig.Layers; l++)
        {
            newKeys[l] = Merge(_keys[l], fresh._keys[l], fresh._total, slot, shape);
            newValues[l] = Merge(_values[l], fresh._values[l], fresh._total, slot, shape);
        }
        ReleaseCache();
        _keys = newKeys;
        _values = newValues;

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

    /// <summary>A [rows, kv, newTotal, head] cache: row r from <paramref name="fresh"/> row slot[r] when refilled, else from <paramref name="kept"/>.</summary>
    private OrtValue Merge(OrtValue kept, OrtValue fresh, int freshTotal, int[] slot, long[] shape)
    {
        int newTotal = (int)shape[2];
        int elem = ElementSize(_sig.CacheType);
        int headSize = _sig.HeadSize * elem;
        var target = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _sig.CacheType, shape);
        var dst = target.GetTensorMutableRawData();
        dst.Clear();
        var keptData = kept.GetTensorMutableRawData();
        var freshData = fresh.GetTensorMutableRawData();
        for (int r = 0; r < _rows; r++)
        {
            bool refilled = slot[r] >= 0;
            int srcRow = refilled ? slot[r] : r;
            int length = refilled ? freshTotal : _total;
            var src = refilled ? freshData : keptData;
            int offset = _sig.RightPadded ? 0 : newTotal - length;
            for (int h = 0; h < _sig.KeyValueHeads; h++)
            {
                int from = ((srcRow * _sig.KeyValueHeads + h) * length) * headSize;
                int to = ((r * _sig.KeyValueHeads + h) * newTotal + offset) * headSize;
                src.Slice(from, length * headSize).CopyTo(dst.Slice(to, length * headSize));
            }
        }
        return target;
    }

    private OrtValue Gather(OrtValue source, ReadOnlySpan<int> rows, long[] shape, int rowBlock, int headOld, int headNew, int skip)
    {
        var target = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _sig.CacheType, shape);
        var src = source.GetTensorMutableRawData();
        var dst = target.GetTensorMutableRawData();
        for (int i = 0; i < rows.Length; i++)
        {
            int srcRow = rows[i] * rowBlock;
            if (skip == 0 && headNew == headOld)
            {
                src.Slice(srcRow, rowBlock).CopyTo(dst.Slice(i * rowBlock, rowBlock));
                continue;
            }
            int dstRow = i * _sig.KeyValueHeads * headNew;
            for (int h = 0; h < _sig.KeyValueHeads; h++)
                src.Slice(srcRow + h * headOld + skip, headNew).CopyTo(dst.Slice(dstRow + h * headNew, headNew));
        }
        return target;
    }

    private void Run(int rows, int chunk, long realTokens, int[]? lastIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int total = _total + chunk;
        EnsureCapacity(ref _maskBuffer, rows * total);
        for (int r = 0; r < rows; r++)
            Array.Copy(_mask, r * _maskStride, _maskBuffer, r * total, total);

        var created = new List<OrtValue>(3);
        try
        {
            int k = 0;
            created.Add(_inputValues[k++] = CreateIntTensor(_sig.IdsType, _idsBuffer, ref _ids32, rows * chunk, new long[] { rows, chunk }));
            created.Add(_inputValues[k++] = CreateIntTensor(_sig.MaskType, _maskBuffer, ref _mask32, rows * total, new long[] { rows, total }));
            if (_sig.PositionIds is not null)
                created.Add(_inputValues[k++] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_posBuffer, 0, rows * chunk), new long[] { rows, chunk }));
            for (int l = 0; l < _sig.Layers; l++) { _inputValues[k++] = _keys[l]; _inputValues[k++] = _values[l]; }

            var sw = Stopwatch.StartNew();
            var outputs = _session.Run(_runOptions, _inputNames, _inputValues, _outputNames);
            Counters.ModelTime += sw.Elapsed;
            Counters.Calls++;
            Counters.TokenPositions += (long)rows * chunk;
            Counters.Tokens += realTokens;

            using (var main = outputs[0])
                CopyLastPosition(main, rows, chunk, lastIndex);
            ReleaseCache();
            _keys = new OrtValue[_sig.Layers];
            _values = new OrtValue[_sig.Layers];
            for (int l = 0; l < _sig.Layers; l++)
            {
                _keys[l] = outputs[1 + 2 * l];
                _values[l] = outputs[2 + 2 * l];
            }
            _total = total;
        }
        finally
        {
            foreach (var v in created) v.Dispose();
        }
    }

    private void CopyLastPosition(OrtValue main, int rows, int chunk, int[]? lastIndex)
    {
        if (_output.Length != rows * _width) _output = new float[rows * _width];
        int stride = chunk * _width;
        int Last(int r) => (lastIndex is null ? chunk - 1 : lastIndex[r]) * _width;
        if (_sig.OutputType == TensorElementType.Float)
        {
            var data = main.GetTensorDataAsSpan<float>();
            if (data.Length != rows * stride)
                throw new InvalidOperationException($"Output '{_sig.MainOutput}' has {data.Length} values; expected {rows}×{chunk}×{_width}.");
            for (int r = 0; r < rows; r++)
                data.Slice(r * stride + Last(r), _width).CopyTo(_output.AsSpan(r * _width, _width));
        }
        else if (_sig.OutputType == TensorElementType.Float16)
        {
            var data = main.GetTensorDataAsSpan<Float16>();
            for (int r = 0; r < rows; r++)
            {
                var src = data.Slice(r * stride + Last(r), _width);
                var dst = _output.AsSpan(r * _width, _width);
                for (int i = 0; i < _width; i++) dst[i] = (float)src[i];
            }
        }
        else
        {
            throw new NotSupportedException($"Output element type {_sig.OutputType} is not supported; expected float or float16.");
        }
    }

    private static OrtValue CreateIntTensor(TensorElementType type, long[] data, ref int[] scratch32, int count, long[] shape)
    {
        if (type == TensorElementType.Int64)
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(data, 0, count), shape);
        if (type == TensorElementType.Int32)
        {
            // A fresh array per call: the previous one may still be pinned by an input value of this call.
            var arr = new int[count];
            for (int i = 0; i < count; i++) arr[i] = (int)data[i];
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(arr), shape);
        }
        throw new NotSupportedException($"Integer input type {type} is not supported; expected int64 or int32.");
    }

    private void AllocateEmptyCache(int rows)
    {
        ReleaseCache();
        long[] shape = { rows, _sig.KeyValueHeads, 0, _sig.HeadSize };
        _keys = new OrtValue[_sig.Layers];
        _values = new OrtValue[_sig.Layers];
        for (int l = 0; l < _sig.Layers; l++)
        {
            _keys[l] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _sig.CacheType, shape);
            _values[l] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _sig.CacheType, shape);
        }
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

    private static void EnsureCapacity(ref long[] buffer, int needed)
    {
        if (buffer.Length < needed) buffer = new long[Math.Max(needed, buffer.Length * 2)];
    }

    private static int ElementSize(TensorElementType t) => t switch
    {
        TensorElementType.Float => 4,
        TensorElementType.Float16 => 2,
        TensorElementType.BFloat16 => 2,
        TensorElementType.Double => 8,
        _ => throw new NotSupportedException($"KV-cache element type {t} is not supported."),
    };

    private void ReleaseCache()
    {
        foreach (var k in _keys) k?.Dispose();
        foreach (var v in _values) v?.Dispose();
        _keys = Array.Empty<OrtValue>();
        _values = Array.Empty<OrtValue>();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseCache();
        _runOptions.Dispose();
    }
}
