using System.Text;

namespace AlignedGen.Data;

/// <summary>
/// Reads CSV/TSV with a header row and RFC 4180 quoting ("" inside quotes is a quote; quoted fields may span lines).
/// Blank lines are ignored; every cell is read as text (empty cells as ""), except <see cref="RecordReaderOptions.JsonListColumns"/>.
/// Parses bytes (the delimiter is ASCII), so a cell with invalid UTF-8 is a record error naming its line and byte offset.
/// </summary>
public sealed class CsvRecordReader : IRecordReader
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly bool _transcoded;
    private readonly bool _replaceInvalidUtf8;
    private readonly byte _delimiter;
    private readonly HashSet<string> _listColumns;
    private readonly string[] _header;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _pos, _len;
    private long _bufferOffset;
    private long _line = 1;

    // The record being parsed: unquoted bytes of every field, back to back, and where each field came from.
    private readonly MemoryStream _bytes = new();
    private readonly List<Field> _fields = new();
    private readonly List<int> _removedQuotes = new();

    /// <summary>One field of the record: its bytes in _bytes, its first source byte and line, its removed doubled quotes in _removedQuotes.</summary>
    private readonly record struct Field(int Start, int Length, long SourceOffset, long Line, int QuotesFrom, int QuotesTo);

    /// <summary>Reads from a stream; the first record is the header. <paramref name="format"/> is Csv or Tsv.</summary>
    public CsvRecordReader(Stream stream, string sourceName, RecordFormat format = RecordFormat.Csv, RecordReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format is not (RecordFormat.Csv or RecordFormat.Tsv))
            throw new ArgumentException($"CsvRecordReader reads Csv or Tsv, not {format}. Fix: use RecordFiles.OpenReader.", nameof(format));
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        Format = format;
        options ??= RecordReaderOptions.Default;
        _delimiter = (byte)(options.Delimiter ?? (format == RecordFormat.Tsv ? '\t' : ','));
        _listColumns = new HashSet<string>(options.JsonListColumns, StringComparer.Ordinal);
        _replaceInvalidUtf8 = options.ReplaceInvalidUtf8;
        (_stream, _bufferOffset, _transcoded) = TextSource.Open(stream, leaveOpen);
        _ownsStream = !leaveOpen || _transcoded;
        _header = ReadHeader();
    }

    public string SourceName { get; }

    public RecordFormat Format { get; }

    public IReadOnlyList<string>? DeclaredColumns => _header;

    public long LineNumber { get; private set; }

    public DataRow? Read()
    {
        if (!ReadRecord()) return null;
        var cells = DecodeFields();
        if (cells.Length != _header.Length)
            throw new CorruptRecordException(SourceName, LineNumber,
                $"the record has {cells.Length} field(s) but the header has {_header.Length} ({string.Join(", ", _header)}).",
                CorruptRecordException.Excerpt(string.Join((char)_delimiter, cells)), canContinue: true);
        var row = new DataRow();
        for (var i = 0; i < _header.Length; i++)
        {
            object? value = cells[i];
            if (_listColumns.Contains(_header[i]))
                value = cells[i].Length == 0 ? null : DataValues.TryParseListCell(cells[i]) ?? cells[i];
            row.SetTrusted(_header[i], value);
        }
        return row;
    }

    private string[] ReadHeader()
    {
        if (!ReadRecord())
            throw new DataFileException(SourceName, 1, "the file is empty: a header row is required.", "write the column names on the first line.");
        string[] header;
        try
        {
            header = DecodeFields();
        }
        catch (CorruptRecordException ex)
        {
            throw new DataFileException(SourceName, ex.LineNumber, "the header row: " + ex.Problem, ex.Fix, ex);
        }
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

    /// <summary>The record's fields as text; invalid UTF-8 is an error (or U+FFFD when asked) that leaves the reader after the record.</summary>
    private string[] DecodeFields()
    {
        var bytes = _bytes.GetBuffer();
        var cells = new string[_fields.Count];
        for (var f = 0; f < _fields.Count; f++)
        {
            var field = _fields[f];
            var span = bytes.AsSpan(field.Start, field.Length);
            var invalid = _replaceInvalidUtf8 ? -1 : TextSource.FirstInvalidUtf8(span);
            if (invalid >= 0)
            {
                var removedBefore = 0;
                for (var q = field.QuotesFrom; q < field.QuotesTo; q++)
                    if (_removedQuotes[q] <= invalid) removedBefore++;
                var line = field.Line + span[..invalid].Count((byte)'\n');
                throw new CorruptRecordException(SourceName, line,
                    TextSource.InvalidUtf8Problem(field.SourceOffset + invalid + removedBefore, span[invalid], _transcoded) + $" Column {f + 1} of the record starting at line {LineNumber}.",
                    CorruptRecordException.Excerpt(span), canContinue: true, fix: TextSource.InvalidUtf8Fix);
            }
            cells[f] = Encoding.UTF8.GetString(span);
        }
        return cells;
    }

    /// <summary>Parses the next non-blank record into _fields; false at end of input.</summary>
    private bool ReadRecord()
    {
        _fields.Clear();
        _bytes.SetLength(0);
        _removedQuotes.Clear();
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
        var start = (int)_bytes.Length;
        var offset = Offset;
        while (true)
        {
            var c = Peek();
            if (c < 0 || c == _delimiter || c == '\n' || c == '\r') break;
            _bytes.WriteByte((byte)Next());
        }
        _fields.Add(new Field(start, (int)_bytes.Length - start, offset, _line, _removedQuotes.Count, _removedQuotes.Count));
    }

    private void ReadQuotedField()
    {
        var startLine = _line;
        var start = (int)_bytes.Length;
        var quotesFrom = _removedQuotes.Count;
        Next();
        var offset = Offset;
        while (true)
        {
            var c = Next();
            if (c < 0)
                throw new CorruptRecordException(SourceName, startLine, "a quoted field is not closed before the end of the file.",
                    CorruptRecordException.Excerpt(_bytes.GetBuffer().AsSpan(start, (int)_bytes.Length - start)), canContinue: false);
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Next();
                    _removedQuotes.Add((int)_bytes.Length - start + 1);
                    _bytes.WriteByte((byte)'"');
                    continue;
                }
                break;
            }
            _bytes.WriteByte((byte)c);
        }
        var after = Peek();
        if (after >= 0 && after != _delimiter && after != '\n' && after != '\r')
        {
            var text = CorruptRecordException.Excerpt(_bytes.GetBuffer().AsSpan(start, (int)_bytes.Length - start));
            SkipRestOfLine();
            var shown = after < 0x80 ? $"'{(char)after}'" : $"byte 0x{after:X2}";
            throw new CorruptRecordException(SourceName, LineNumber,
                $"unexpected {shown} after a closing quote (a quote inside a quoted field must be doubled).", text, canContinue: true);
        }
        _fields.Add(new Field(start, (int)_bytes.Length - start, offset, startLine, quotesFrom, _removedQuotes.Count));
    }

    private void SkipRestOfLine()
    {
        while (true)
        {
            var c = Next();
            if (c < 0 || c == '\n') return;
        }
    }

    /// <summary>File offset of the next byte.</summary>
    private long Offset => _bufferOffset + _pos;

    private int Peek()
    {
        if (_pos == _len)
        {
            _bufferOffset += _len;
            _pos = 0;
            try
            {
                _len = _stream.Read(_buffer, 0, _buffer.Length);
            }
            catch (DecoderFallbackException ex)
            {
                throw new CorruptRecordException(SourceName, _line, $"the UTF-16 text is invalid ({ex.Message}).", null, canContinue: false, ex,
                    "re-save the file as UTF-8 or valid UTF-16.");
            }
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

    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
    }
}
