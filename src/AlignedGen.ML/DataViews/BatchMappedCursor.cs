using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.DataViews;

/// <summary>Cursor of <see cref="BatchMappedDataView"/>: pass-through columns from one input cursor, mapped columns from a batch-ahead one.</summary>
internal sealed class BatchMappedCursor : DataViewRowCursor
{
    private readonly BatchMappedDataView _view;
    private readonly DataViewRowCursor _follow;
    private readonly bool[] _outputActive;
    private readonly bool _anyOutput;
    private readonly int _inputCount;
    private readonly Queue<DataViewRowId> _leadIds = new();
    private readonly ValueGetter<DataViewRowId> _followId;
    private DataViewRowCursor? _lead;
    private IEnumerator<object[]>? _results;
    private object[]? _current;
    private bool _disposed;

    public BatchMappedCursor(BatchMappedDataView view, DataViewRowCursor follow, bool[] outputActive)
    {
        _view = view;
        _follow = follow;
        _outputActive = outputActive;
        _anyOutput = outputActive.Any(a => a);
        _inputCount = view.Input.Schema.Count;
        _followId = follow.GetIdGetter();
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _follow.Position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column)
        => column.Index < _inputCount ? _follow.IsColumnActive(_view.Input.Schema[column.Index]) : _outputActive[column.Index - _inputCount];

    public override ValueGetter<DataViewRowId> GetIdGetter() => _followId;

    public override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _view.Mapper.Cancellation.ThrowIfCancellationRequested();
        if (!_follow.MoveNext())
        {
            _current = null;
            // Let the mapper finish its stream (final progress report) and check the two cursors agree on the row count.
            if (_results is not null && _results.MoveNext())
                throw new InvalidOperationException("The input data view gave more rows to one cursor than to another; transforms that decode in batches need an input that returns the same rows on every cursor (cache it with AppendCacheCheckpoint).");
            return false;
        }
        if (_anyOutput) Advance();
        return true;
    }

    private void Advance()
    {
        if (_results is null)
        {
            var names = _view.Mapper.InputColumnNames;
            var columns = names.Where(n => n is not null).Select(n => _view.Input.Schema[n!]).ToArray();
            _lead = _view.Input.GetRowCursor(columns);
            _results = _view.Mapper.Map(LeadRows(_lead, names), _view.Mapper.Cancellation).GetEnumerator();
        }
        if (!_results.MoveNext())
            throw new InvalidOperationException($"The input data view gave row {_follow.Position} to one cursor but not to another; transforms that decode in batches need an input that returns the same rows on every cursor (cache it with AppendCacheCheckpoint).");
        _current = _results.Current;
        var leadId = _leadIds.Dequeue();
        DataViewRowId followId = default;
        _followId(ref followId);
        if (!leadId.Equals(followId))
            throw new InvalidOperationException($"The input data view returned rows in a different order on two cursors (row {_follow.Position}: id {followId} vs {leadId}); transforms that decode in batches need a deterministic row order (cache the input with AppendCacheCheckpoint).");
    }

    private IEnumerable<string?[]> LeadRows(DataViewRowCursor lead, IReadOnlyList<string?> names)
    {
        var getters = names.Select(n => n is null ? null : lead.GetGetter<ReadOnlyMemory<char>>(_view.Input.Schema[n])).ToArray();
        var idGetter = lead.GetIdGetter();
        ReadOnlyMemory<char> text = default;
        DataViewRowId id = default;
        while (lead.MoveNext())
        {
            var row = new string?[getters.Length];
            for (int i = 0; i < getters.Length; i++)
            {
                if (getters[i] is null) continue;
                getters[i]!(ref text);
                row[i] = text.ToString();
            }
            idGetter(ref id);
            _leadIds.Enqueue(id);
            yield return row;
        }
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount) return _follow.GetGetter<TValue>(_view.Input.Schema[column.Index]);
        int j = column.Index - _inputCount;
        if (!_outputActive[j])
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; pass it in columnsNeeded.");
        var output = _view.Mapper.OutputColumns[j];
        Delegate getter = output.Type switch
        {
            TextDataViewType => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = ((string)Current(j)).AsMemory()),
            NumberDataViewType n when n.RawType == typeof(float) => (ValueGetter<float>)((ref float v) => v = (float)Current(j)),
            NumberDataViewType n when n.RawType == typeof(double) => (ValueGetter<double>)((ref double v) => v = (double)Current(j)),
            NumberDataViewType n when n.RawType == typeof(int) => (ValueGetter<int>)((ref int v) => v = (int)Current(j)),
            VectorDataViewType => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => CopyVector((float[])Current(j), ref v)),
            _ => throw new InvalidOperationException($"Unsupported output type {output.Type}."),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {output.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private object Current(int j) => _current?[j] ?? throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");

    private static void CopyVector(float[] values, ref VBuffer<float> dst)
    {
        var editor = VBufferEditor.Create(ref dst, values.Length);
        values.CopyTo(editor.Values);
        dst = editor.Commit();
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (disposing)
        {
            _results?.Dispose();
            _lead?.Dispose();
            _follow.Dispose();
        }
        base.Dispose(disposing);
    }
}
