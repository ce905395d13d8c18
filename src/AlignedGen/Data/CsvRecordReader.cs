using System.Text;

namespace AlignedGen.Data;

/// <summary>
/// Reads CSV/TSV with a header row and RFC 4180 quoting ("" inside quotes is a quote; quoted fields may span lines).
/// Blank lines are ignored; every cell is read as text (empty cells as ""), except <see cref="RecordReaderOptions.JsonListColumns"/>.
/// </summary>
public sealed class CsvRecordReader : IRecordReader
{
    private readonly StreamReader _reader;
    private readonly char _delimiter;
    private readonly HashSet<string> _listColumns;
    private readonly string[] _header;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly List<string> _fields = new();
    private readonly StringBuilder _field = new();
    private int _pos, _len;
    private long _line = 1;

    /// <summary>Reads from a stream; the first record is the header. <paramref name="format"/> is Csv or Tsv.</summary>
    public CsvRecordReader(Stream stream, string sourceName, RecordFormat format = RecordFormat.Csv, RecordReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format is not (RecordFormat.Csv or RecordFormat.Tsv))
            throw new ArgumentException($"CsvRecordReader reads Csv or Tsv, not {format}. Fix: use RecordFiles.OpenReader.", nameof(format));
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        Format = format;
        options ??= RecordReaderOptions.Default;
        _delimiter = options.Delimiter ?? (format == RecordFormat.Tsv ? '\t' : ',');
        _listColumns = new HashSet<string>(options.JsonListColumns, StringComparer.Ordinal);
        _reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: leaveOpen);
        _header = ReadHeader();
    }

    public string SourceName { get; }

    public RecordFormat Format { get; }

    public IReadOnlyList<string>? DeclaredColumns => _header;

    public long LineNumber { get; private set; }

    public DataRow? Read()
    {
        if (!ReadRecord()) return null;
        if (_fields.Count != _header.Length)
            throw new CorruptRecordException(SourceName, LineNumber,
                $"the record has {_fields.Count} field(s) but the header has {_header.Length} ({string.Join(", ", _header)}).",
                CorruptRecordException.Excerpt(string.Join(_delimiter, _fields)), canContinue: true);
        var row = new DataRow();
        for (var i = 0; i < _header.Length; i++)
        {
            object? value = _fields[i];
            if (_listColumns.Contains(_header[i]))
                value = _fields[i].Length == 0 ? null : DataValues.TryParseListCell(_fields[i]) ?? _fields[i];
            row.SetTrusted(_header[i], value);
        }
        return row;
    }

    private string[] ReadHeader()
    {
        if (!ReadRecord())
            throw new DataFileException(SourceName, 1, "the file is empty: a header row is required.", "write the column names on the first line.");
        var header = _fields.ToArray();
        if (header.Length > 0) header[0] = header[0].TrimStart('\uFEFF');
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
                throw new DataFileException(SourceName, LineNumber, $"header column {i + 1} has no name.", "name every column in the header row.");
            if (Array.IndexOf(header, header[i]) != i)
                throw new DataFileException(SourceName, LineNumber, $"header names column '{header[i]}' twice.", "give every column a distinct name.");
        }
        return header;
    }

    /// <summary>Parses the next non-blank record into _fields; false at end of input.</summary>
    private bool ReadRecord()
    {
        _fields.Clear();
        while (true)
        {
            var c = Peek();
            if (c < 0) return false;
            if (c == '\n') { Next(); continue; }
            if (c == '\r') { Next(); if (Peek() == '\n') Next(); else _line++; continue; }
            break;
        }
        LineNumber = _line;
        while (true)
        {
            if (Peek() == '"') ReadQuotedField();
            else ReadPlainField();
            var c = Next();
            if (c == _delimiter) continue;
            if (c < 0 || c == '\n') return true;
            if (c == '\r')
            {
                if (Peek() == '\n') Next();
                else _line++;
                return true;
            }
        }
    }

    private void ReadPlainField()
    {
        _field.Clear();
        while (true)
        {
            var c = Peek();
            if (c < 0 || c == _delimiter || c == '\n' || c == '\r') break;
            _field.Append((char)Next());
        }
        _fields.Add(_field.ToString());
    }

    private void ReadQuotedField()
    {
        var start = _line;
        Next();
        _field.Clear();
        while (true)
        {
            var c = Next();
            if (c < 0)
                throw new CorruptRecordException(SourceName, start, "a quoted field is not closed before the end of the file.",
                    CorruptRecordException.Excerpt(_field.ToString()), canContinue: false);
            if (c == '"')
            {
                if (Peek() == '"') { Next(); _field.Append('"'); continue; }
                break;
            }
            _field.Append((char)c);
        }
        var after = Peek();
        if (after >= 0 && after != _delimiter && after != '\n' && after != '\r')
        {
            var text = _field.ToString();
            SkipRestOfLine();
            throw new CorruptRecordException(SourceName, LineNumber,
                $"unexpected '{(char)after}' after a closing quote (a quote inside a quoted field must be doubled).",
                CorruptRecordException.Excerpt(text), canContinue: true);
        }
        _fields.Add(_field.ToString());
    }

    private void SkipRestOfLine()
    {
        while (true)
        {
            var c = Next();
            if (c < 0 || c == '\n') return;
        }
    }

    private int Peek()
    {
        if (_pos == _len)
        {
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            if (_len <= 0) { _len = 0; return -1; }
        }
        return _buffer[_pos];
    }

    private int Next()
    {
        var c = Peek();
        if (c < 0) return c;
        _pos++;
        if (c == '\n') _line++;
        return c;
    }

    public void Dispose() => _reader.Dispose();
}
