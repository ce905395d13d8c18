using System.Text;

namespace AlignedGen.Data;

/// <summary>
/// Writes CSV/TSV with a header row and RFC 4180 quoting, records terminated by CRLF. Cells hold the canonical text of each
/// value (numbers invariant, bools lowercase, null empty, lists as JSON arrays). Each batch goes out in one write.
/// </summary>
public sealed class CsvRecordWriter : IRecordWriter
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly char _delimiter;
    private bool _headerPending;
    private readonly StringBuilder _text = new();
    private string[]? _columns;

    /// <summary>Writes to a stream (at its current position). <paramref name="format"/> is Csv or Tsv.</summary>
    public CsvRecordWriter(Stream stream, string targetName, RecordFormat format = RecordFormat.Csv, RecordWriterOptions? options = null, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        if (format is not (RecordFormat.Csv or RecordFormat.Tsv))
            throw new ArgumentException($"CsvRecordWriter writes Csv or Tsv, not {format}. Fix: use RecordFiles.CreateWriter.", nameof(format));
        TargetName = targetName ?? throw new ArgumentNullException(nameof(targetName));
        Format = format;
        options ??= RecordWriterOptions.Default;
        _delimiter = options.Delimiter ?? (format == RecordFormat.Tsv ? '\t' : ',');
        _columns = options.Columns?.ToArray();
        _headerPending = options.WriteHeader;
        _leaveOpen = leaveOpen;
    }

    public string TargetName { get; }

    public RecordFormat Format { get; }

    public long RowsWritten { get; private set; }

    /// <summary>The header: from the options, or from the first batch once written; null before.</summary>
    public IReadOnlyList<string>? Columns => _columns;

    public void Write(IReadOnlyList<DataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _text.Clear();
        if (_columns is null)
        {
            if (rows.Count == 0) return;
            _columns = rows.SelectMany(r => r.ColumnNames).Distinct(StringComparer.Ordinal).ToArray();
        }
        if (_headerPending)
        {
            AppendRecord(_columns);
            _headerPending = false;
        }
        var cells = new string[_columns.Length];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            foreach (var name in row.ColumnNames)
                if (Array.IndexOf(_columns, name) < 0)
                    throw new DataFileException(TargetName, null,
                        $"row {RowsWritten + r + 1} has column '{name}', which is not in the header ({string.Join(", ", _columns)}).",
                        "pass RecordWriterOptions.Columns listing every column, or write JSONL, whose rows may differ.");
            for (var i = 0; i < _columns.Length; i++) cells[i] = row.GetText(_columns[i]) ?? "";
            AppendRecord(cells);
        }
        _stream.Write(Utf8.GetBytes(_text.ToString()));
        RowsWritten += rows.Count;
    }

    public void Flush(bool toDisk)
    {
        if (toDisk && _stream is FileStream fs) fs.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    private void AppendRecord(IReadOnlyList<string> cells)
    {
        if (cells.Count == 1 && cells[0].Length == 0)
        {
            _text.Append("\"\"\r\n");
            return;
        }
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) _text.Append(_delimiter);
            AppendCell(cells[i]);
        }
        _text.Append("\r\n");
    }

    private void AppendCell(string cell)
    {
        if (cell.AsSpan().IndexOfAny(_delimiter, '"', '\n') < 0 && !cell.Contains('\r'))
        {
            _text.Append(cell);
            return;
        }
        _text.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
    }

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
