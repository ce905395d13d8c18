using System.Diagnostics;
using AlignedGen.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Models;

/// <summary>
/// A batch of sequences in an ONNX decoder with a KV cache: this type binds inputs and outputs and runs the graph; the
/// cache's buffers and row copies are <see cref="KeyValueCache"/>'s, where tokens sit and the mask is
/// <see cref="PaddingLayout"/>'s, and the rows' outputs are <see cref="RowOutputs"/>'. A step feeds the current cache
/// as <c>past_key_values.*</c> and binds the spare buffers as <c>present.*</c>, so ONNX Runtime writes in place. For
/// GroupQueryAttention graphs past and present are one buffer with room to grow, which the op appends to in place
/// (onnxruntime-genai's past_present_share_buffer). Works for causal LMs (<c>logits</c>) and cached reward models (<c>scores</c>).
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
    private readonly PaddingLayout _layout;
    private readonly RowOutputs _outputs;
    private readonly PinnedIntegerInput _ids;
    private readonly PinnedIntegerInput _attention;
    private readonly PinnedIntegerInput _positions;
    private bool _disposed;

    /// <summary>Creates an empty state; <paramref name="shareBuffers"/> false keeps GroupQueryAttention graphs on separate past and present buffers (for comparisons).</summary>
    public OnnxDecoderState(InferenceSession session, DecoderSignature signature, int padTokenId, int outputWidth, bool shareBuffers = true)
    {
        _session = session;
        _sig = signature;
        _padTokenId = padTokenId;
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
        _layout = new PaddingLayout(_sig.RightPadded);
        _outputs = new RowOutputs(outputWidth, _sig.OutputType, _sig.OutputIsPerPositionScalar);
        _ids = new PinnedIntegerInput(_sig.IdsType, _sig.InputIds);
        _attention = new PinnedIntegerInput(_sig.MaskType, _sig.AttentionMask);
        _positions = new PinnedIntegerInput(TensorElementType.Int64, _sig.PositionIds ?? "position_ids");
    }

    /// <summary>True when past and present share one buffer that the graph appends to in place.</summary>
    internal bool SharesBuffers => _shareBuffers;

    public int RowCount => _layout.Rows;
    public int OutputWidth => _outputs.Width;
    public DecoderCounters Counters { get; } = new();
    public int Length(int row) => _layout.Length(row);

    /// <summary>Cache length including padding columns (for tests and reports).</summary>
    internal int CacheLength => _layout.Columns;

    public ReadOnlySpan<float> Output(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {RowCount}).");
        return _outputs.Row(row);
    }

    public OutputRow OutputView(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {RowCount}).");
        return _outputs.IsFloat16 ? new OutputRow(_outputs.HalfRow(row)) : new OutputRow(_outputs.FloatRow(row));
    }

    public void Step(ReadOnlySpan<int> tokens)
    {
        int rows = RowCount;
        if (tokens.Length != rows)
            throw new ArgumentException($"Step needs one token per row: got {tokens.Length} tokens for {rows} rows.", nameof(tokens));
        if (rows == 0) throw new InvalidOperationException("Step on an empty state: call Extend (prefill) first.");
        _layout.Step(tokens, _ids.Values(rows), _positions.Values(rows));
        Run(rows, 1, rows, lastIndex: null);
    }

    public void Extend(IReadOnlyList<IReadOnlyList<int>> tokensPerRow)
    {
        ArgumentNullException.ThrowIfNull(tokensPerRow);
        if (RowCount != 0 && tokensPerRow.Count != RowCount)
            throw new ArgumentException($"Extend needs a token list for each of the {RowCount} rows; got {tokensPerRow.Count}.", nameof(tokensPerRow));
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
        if (RowCount == 0)
        {
            _layout.Start(rows);
            _cache.Reset(rows);
        }
        var last = _layout.Chunk(tokensPerRow, chunk, _padTokenId, _ids.Values(rows * chunk), _positions.Values(rows * chunk));
        Run(rows, chunk, real, last);
    }

    public void SelectRows(ReadOnlySpan<int> sourceRows)
    {
        if (RowCount == 0) throw new InvalidOperationException("SelectRows on an empty state: call Extend (prefill) first.");
        foreach (var s in sourceRows)
            if ((uint)s >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {RowCount}).");
        var columns = _layout.Select(sourceRows);
        if (sourceRows.Length == 0) _cache.Reset(0);
        // A shared buffer keeps its room to grow; separate buffers hold exactly the positions in use.
        else _cache.SelectRows(sourceRows, columns, _shareBuffers ? _cache.Length : columns.Count);
        _outputs.Select(sourceRows);
    }

    public void CopyLastPosition(ReadOnlySpan<int> sourceRows)
    {
        if (sourceRows.Length != RowCount)
            throw new ArgumentException($"CopyLastPosition needs one source row per row: got {sourceRows.Length} for {RowCount} rows.", nameof(sourceRows));
        for (int r = 0; r < RowCount; r++)
        {
            int s = sourceRows[r];
            if (s == r) continue;
            if ((uint)s >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {RowCount}).");
            if (Length(s) != Length(r))
                throw new ArgumentException($"Rows {s} and {r} hold {Length(s)} and {Length(r)} tokens; CopyLastPosition needs equal lengths.", nameof(sourceRows));
            _cache.CopyPosition(s, r, _layout.LastColumn(r));
            _outputs.CopyRow(_outputs, s, r);
        }
    }

    public void Refill(ReadOnlySpan<int> rows, IReadOnlyList<IReadOnlyList<int>> tokensPerRow)
    {
        ArgumentNullException.ThrowIfNull(tokensPerRow);
        if (rows.Length != tokensPerRow.Count)
            throw new ArgumentException($"Refill needs one token list per refilled row: got {tokensPerRow.Count} lists for {rows.Length} rows.", nameof(tokensPerRow));
        if (rows.Length == 0) return;
        if (RowCount == 0) throw new InvalidOperationException("Refill on an empty state: call Extend (prefill) first.");
        var slot = DistinctRows(rows, nameof(rows), "Refilled row", "refill each row once");

        // Prefill the refilled rows alone, then merge their caches in; new padding is zeroed.
        using var fresh = new OnnxDecoderState(_session, _sig, _padTokenId, OutputWidth, _shareBuffers);
        fresh.Extend(tokensPerRow);
        Counters.Add(fresh.Counters);
        var moves = new ColumnMove[RowCount];
        _layout.Merge(fresh._layout, slot, moves);
        var copies = new RowCopy[RowCount];
        for (int r = 0; r < RowCount; r++)
            copies[r] = slot[r] < 0 ? new RowCopy(_cache, r, moves[r]) : new RowCopy(fresh._cache, slot[r], moves[r]);
        _cache.Rearrange(copies, _shareBuffers ? _cache.CapacityFor(_layout.Columns) : _layout.Columns, clear: true);
        for (int r = 0; r < RowCount; r++)
            if (slot[r] >= 0) _outputs.CopyRow(fresh._outputs, slot[r], r);
    }

    public void Truncate(ReadOnlySpan<int> rows, ReadOnlySpan<int> lengths)
    {
        if (rows.Length != lengths.Length)
            throw new ArgumentException($"Truncate needs one length per row: got {lengths.Length} lengths for {rows.Length} rows.", nameof(lengths));
        DistinctRows(rows, nameof(rows), "Truncated row", "truncate each row once");
        for (int i = 0; i < rows.Length; i++)
            if (lengths[i] < 1 || lengths[i] > Length(rows[i]))
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i],
                    $"Row {rows[i]} holds {Length(rows[i])} tokens; it can keep 1 to {Length(rows[i])} (to start it over, use Refill).");
        var stale = new List<int>();
        for (int i = 0; i < rows.Length; i++)
            if (lengths[i] < Length(rows[i])) stale.Add(rows[i]);
        var moves = _layout.Truncate(rows, lengths);
        if (moves is not null)
        {
            var copies = new RowCopy[RowCount];
            for (int r = 0; r < RowCount; r++) copies[r] = new RowCopy(_cache, r, moves[r]);
            _cache.Rearrange(copies, _shareBuffers ? _cache.Length : _layout.Columns, clear: true);
        }
        foreach (var r in stale) _outputs.MarkStale(r);
    }

    /// <summary>Checks <paramref name="rows"/> name existing rows at most once each; returns, per row, its index in <paramref name="rows"/> or -1.</summary>
    private int[] DistinctRows(ReadOnlySpan<int> rows, string parameter, string what, string fix)
    {
        var slot = new int[RowCount];
        Array.Fill(slot, -1);
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)RowCount) throw new ArgumentOutOfRangeException(parameter, r, $"{what} must be in [0, {RowCount}).");
            if (slot[r] >= 0) throw new ArgumentException($"Row {r} appears twice; {fix}.", parameter);
            slot[r] = i;
        }
        return slot;
    }

    private void Run(int rows, int chunk, long realTokens, int[]? lastIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int total = _layout.Columns + chunk;
        _layout.CopyMask(_attention.Values(rows * total), total);

        int k = 0;
        _inputValues[k++] = _ids.View(rows, chunk);
        _inputValues[k++] = _attention.View(rows, total);
        if (_sig.PositionIds is not null) _inputValues[k++] = _positions.View(rows, chunk);
        IReadOnlyList<OrtValue>? presents = null;
        if (_shareBuffers) _cache.EnsureCapacity(total, used: _layout.Columns);
        else presents = _cache.PrepareNext(rows, total);
        for (int t = 0; t < _cache.TensorCount; t++)
        {
            _inputValues[k + t] = _cache.View(t);
            _outputValues[1 + t] = presents?[t] ?? _cache.View(t);   // shared: the op appends to the past in place
        }
        bool direct = _outputs.WritesDirectly(chunk);
        _outputValues[0] = direct ? _outputs.StepView(rows) : _outputs.ChunkView(rows, chunk);
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
        if (!direct) _outputs.PickLast(rows, chunk, lastIndex);
        _outputs.MarkFed();
        _layout.Commit(chunk);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cache.Dispose();
        _ids.Dispose();
        _attention.Dispose();
        _positions.Dispose();
        _outputs.Dispose();
        _runOptions.Dispose();
    }
}
