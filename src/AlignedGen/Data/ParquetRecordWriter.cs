using Parquet;
using Parquet.Schema;

namespace AlignedGen.Data;

/// <summary>
/// Writes a Parquet file, one row group per <see cref="Write"/> call. The schema comes from the options or is inferred
/// from the first batch. The file is valid once the writer is disposed (the footer is written then).
/// </summary>
public sealed class ParquetRecordWriter : IRecordWriter
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private RecordSchema? _schema;
    private DataField[]? _dataFields;
    private ParquetWriter? _writer;

    /// <summary>Writes to a writable, seekable stream; <paramref name="targetName"/> names it in errors.</summary>
    public ParquetRecordWriter(Stream stream, string targetName, RecordWriterOptions? options = null, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        TargetName = targetName ?? throw new ArgumentNullException(nameof(targetName));
        _schema = options?.Schema;
        _leaveOpen = leaveOpen;
    }

    public string TargetName { get; }

    public RecordFormat Format => RecordFormat.Parquet;

    public long RowsWritten { get; private set; }

    /// <summary>The schema: from the options, or inferred from the first batch once written; null before.</summary>
    public RecordSchema? Schema => _schema;

    public void Write(IReadOnlyList<DataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        if (_writer is null) Open(rows);
        var columns = _schema!.Columns;
        foreach (var row in rows.Select((r, i) => (r, i)))
            foreach (var name in row.r.ColumnNames)
                if (_schema.KindOf(name) is null)
                    throw new DataFileException(TargetName, null,
                        $"row {RowsWritten + row.i + 1} has column '{name}', which is not in the Parquet schema ({_schema}).",
                        "pass RecordWriterOptions.Schema listing every column, or write JSONL, whose rows may differ.");
        SyncOverAsync.Run(async () =>
        {
            using var group = _writer!.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
                await ParquetColumnWriter.WriteAsync(group, _dataFields![c], columns[c], rows, TargetName, RowsWritten);
            group.CompleteValidate();
        });
        RowsWritten += rows.Count;
    }

    public void Flush(bool toDisk)
    {
        if (toDisk && _stream is FileStream fs) fs.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    private void Open(IReadOnlyList<DataRow> firstBatch)
    {
        _schema ??= RecordSchema.Infer(firstBatch);
        var fields = new List<Field>();
        var dataFields = new List<DataField>();
        foreach (var column in _schema.Columns)
        {
            switch (column.Kind)
            {
                case ColumnKind.TextList:
                    var textItem = new DataField<string>("element");
                    fields.Add(new ListField(column.Name, textItem));
                    dataFields.Add(textItem);
                    break;
                case ColumnKind.NumberList:
                    var numberItem = new DataField<double?>("element");
                    fields.Add(new ListField(column.Name, numberItem));
                    dataFields.Add(numberItem);
                    break;
                default:
                    DataField field = column.Kind switch
                    {
                        ColumnKind.Integer => new DataField<long?>(column.Name),
                        ColumnKind.Number => new DataField<double?>(column.Name),
                        ColumnKind.Boolean => new DataField<bool?>(column.Name),
                        _ => new DataField<string>(column.Name),
                    };
                    fields.Add(field);
                    dataFields.Add(field);
                    break;
            }
        }
        _dataFields = dataFields.ToArray();
        var schema = new ParquetSchema(fields);
        _writer = SyncOverAsync.Run(() => ParquetWriter.CreateAsync(schema, _stream, null, append: false));
    }

    /// <summary>Writes the footer. With an explicit schema, a writer that got no rows leaves a valid file with no rows.</summary>
    public void Dispose()
    {
        if (_writer is null && _schema is not null) Open(Array.Empty<DataRow>());
        if (_writer is not null) SyncOverAsync.Run(() => _writer.DisposeAsync().AsTask());
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
