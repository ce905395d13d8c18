using AlignedGen.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Files;

/// <summary>Cursor over a record file: one <see cref="DataRow"/> at a time, converted to the view's column types on demand.</summary>
internal sealed class RecordFileCursor : DataViewRowCursor
{
    private readonly RecordFileDataView _view;
    private readonly IRecordReader _reader;
    private readonly bool[] _active;
    private DataRow? _row;
    private long _position = -1;
    private bool _disposed;

    public RecordFileCursor(RecordFileDataView view, IRecordReader reader, bool[] active)
    {
        _view = view;
        _reader = reader;
        _active = active;
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

    public override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _row = _reader.Read();
        if (_row is null) return false;
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var kind = _view.RecordSchema.Columns[column.Index].Kind;
        var name = column.Name;
        Delegate getter = kind switch
        {
            ColumnKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = (Row.GetText(name) ?? "").AsMemory()),
            ColumnKind.Integer => (ValueGetter<long>)((ref long v) => v = Value(name) switch
            {
                null => 0,
                long l => l,
                double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
                var other => throw Mismatch(name, "a whole number", other),
            }),
            ColumnKind.Number => (ValueGetter<double>)((ref double v) => v = Value(name) switch
            {
                null => double.NaN,
                long l => l,
                double d => d,
                var other => Row.GetNumber(name) ?? throw Mismatch(name, "a number", other),
            }),
            ColumnKind.Boolean => (ValueGetter<bool>)((ref bool v) => v = Value(name) switch
            {
                null => false,
                bool b => b,
                var other => throw Mismatch(name, "true or false", other),
            }),
            ColumnKind.TextList => (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> v) =>
            {
                var items = Value(name) switch { null => Array.Empty<string>(), string[] s => s, var other => throw Mismatch(name, "a list of strings", other) };
                v = new VBuffer<ReadOnlyMemory<char>>(items.Length, items.Select(s => s.AsMemory()).ToArray());
            }),
            _ => (ValueGetter<VBuffer<double>>)((ref VBuffer<double> v) =>
            {
                var items = Value(name) switch { null => Array.Empty<double>(), double[] d => d, var other => throw Mismatch(name, "a list of numbers", other) };
                v = new VBuffer<double>(items.Length, (double[])items.Clone());
            }),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private DataRow Row => _row ?? throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");

    private object? Value(string name) => Row.TryGetValue(name, out var v) ? v : null;

    private DataFileException Mismatch(string name, string expected, object? value) =>
        new(_view.Path, _reader.LineNumber, $"column '{name}' holds {value?.GetType().Name ?? "null"} '{value}', not {expected} as the schema says.",
            "pass RecordFileLoadOptions.Schema with the column as Text, or fix the record.");

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (disposing) _reader.Dispose();
        base.Dispose(disposing);
    }
}
