using System.Globalization;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace AlignedGen.Data;

/// <summary>
/// Reads a Parquet file one row group at a time. Supported columns: primitive columns (text, integers, floating point,
/// decimals, bools, dates as ISO-8601 text) and lists of them; struct and map columns are rejected with an error naming them.
/// </summary>
public sealed class ParquetRecordReader : IRecordReader
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ParquetReader _reader;
    private readonly Field[] _fields;
    private int _nextGroup;
    private object?[][]? _group;
    private int _groupRows, _rowInGroup;

    /// <summary>Reads from a seekable stream; <paramref name="sourceName"/> names it in errors.</summary>
    public ParquetRecordReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        _leaveOpen = leaveOpen;
        try
        {
            _reader = SyncOverAsync.Run(() => ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true));
        }
        catch (Exception ex) when (ex is ParquetException or IOException or InvalidDataException or EndOfStreamException)
        {
            if (!leaveOpen) stream.Dispose();
            throw new DataFileException(sourceName, null, $"not a readable Parquet file ({ex.Message}).",
                "check that the file is complete (a Parquet file is valid only once its writer has finished) and really is Parquet.", ex);
        }
        _fields = _reader.Schema.Fields.ToArray();
        foreach (var field in _fields) CheckSupported(field);
        DeclaredColumns = _fields.Select(f => f.Name).ToArray();
        TotalRows = _reader.RowGroups.Sum(g => g.RowCount);
    }

    public string SourceName { get; }

    public RecordFormat Format => RecordFormat.Parquet;

    public IReadOnlyList<string>? DeclaredColumns { get; }

    public long LineNumber { get; private set; }

    /// <summary>Number of rows in the file, from its metadata.</summary>
    public long TotalRows { get; }

    public DataRow? Read()
    {
        while (_group is null || _rowInGroup >= _groupRows)
        {
            if (_nextGroup >= _reader.RowGroupCount) return null;
            LoadGroup(_nextGroup++);
        }
        var row = new DataRow();
        for (var c = 0; c < _fields.Length; c++) row.SetTrusted(_fields[c].Name, _group[c][_rowInGroup]);
        _rowInGroup++;
        LineNumber++;
        return row;
    }

    private void CheckSupported(Field field)
    {
        var ok = field switch
        {
            DataField d => d.MaxRepetitionLevel <= 1,
            ListField l => l.Item is DataField { MaxRepetitionLevel: 1 },
            _ => false,
        };
        if (!ok)
            throw new DataFileException(SourceName, null,
                $"column '{field.Name}' is a {field.SchemaType.ToString().ToLowerInvariant()} column; only primitive columns and lists of primitives are supported.",
                "flatten the column before relabeling, or convert the file to JSONL.");
    }

    private void LoadGroup(int index)
    {
        var rg = _reader.OpenRowGroupReader(index);
        _groupRows = checked((int)rg.RowCount);
        _rowInGroup = 0;
        _group = new object?[_fields.Length][];
        for (var c = 0; c < _fields.Length; c++)
        {
            var field = _fields[c];
            var data = field is ListField l ? (DataField)l.Item : (DataField)field;
            using var raw = SyncOverAsync.Run(async () => await rg.ReadRawColumnDataBaseAsync(data));
            var values = ParquetValues.Extract(raw);
            _group[c] = data.MaxRepetitionLevel == 0
                ? ParquetValues.Flat(raw, data, values, _groupRows)
                : ParquetValues.Lists(raw, data, values, _groupRows, field is ListField lf ? lf : null);
        }
    }

    public void Dispose()
    {
        SyncOverAsync.Run(() => _reader.DisposeAsync().AsTask());
        if (!_leaveOpen) _stream.Dispose();
    }
}
