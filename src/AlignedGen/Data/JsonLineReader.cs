using System.Text;

namespace AlignedGen.Data;

/// <summary>
/// Reads the JSON texts of a JSON Lines file one line at a time, faithfully: only '\n' ends a line (a raw '\r' is JSON
/// whitespace), blank lines are skipped, a UTF-8 byte-order mark is skipped and UTF-16 files are transcoded, and invalid
/// UTF-8 is a <see cref="CorruptRecordException"/> naming the line and byte offset (the next call reads on) unless
/// <see cref="RecordReaderOptions.ReplaceInvalidUtf8"/> is set. For files whose lines are any JSON value; rows of
/// objects are read by <see cref="JsonlRecordReader"/>.
/// </summary>
public sealed class JsonLineReader : IDisposable
{
    private readonly Utf8LineReader _lines;
    private readonly bool _transcoded;
    private readonly bool _replaceInvalidUtf8;

    /// <summary>Reads from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    public JsonLineReader(Stream stream, string sourceName, RecordReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        _replaceInvalidUtf8 = (options ?? RecordReaderOptions.Default).ReplaceInvalidUtf8;
        var (text, start, transcoded) = TextSource.Open(stream, leaveOpen);
        _transcoded = transcoded;
        _lines = new Utf8LineReader(text, start, leaveOpen && !transcoded);
    }

    public string SourceName { get; }

    /// <summary>1-based line number of the text last returned or rejected.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next non-blank line's text, or null at the end.</summary>
    public string? ReadLine() => TryReadBytes(out var line) ? Encoding.UTF8.GetString(line) : null;

    /// <summary>File offset of the first byte of the line last read.</summary>
    internal long LineOffset => _lines.LineOffset;

    /// <summary>The next non-blank line as valid UTF-8 bytes (a copy: it outlives the next read); false at the end.</summary>
    internal bool TryReadBytes(out byte[] bytes)
    {
        while (true)
        {
            ReadOnlySpan<byte> line;
            try
            {
                if (!_lines.TryRead(out line))
                {
                    bytes = Array.Empty<byte>();
                    return false;
                }
            }
            catch (DecoderFallbackException ex)
            {
                throw new CorruptRecordException(SourceName, _lines.LineNumber + 1, $"the UTF-16 text is invalid ({ex.Message}).", null,
                    canContinue: false, ex, "re-save the file as UTF-8 or valid UTF-16.");
            }
            if (line.IndexOfAnyExcept(" \t\r"u8) < 0) continue;
            LineNumber = _lines.LineNumber;
            var invalid = TextSource.FirstInvalidUtf8(line);
            if (invalid < 0) bytes = line.ToArray();
            else if (_replaceInvalidUtf8) bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line));
            else
                throw new CorruptRecordException(SourceName, LineNumber, TextSource.InvalidUtf8Problem(_lines.LineOffset + invalid, line[invalid], _transcoded),
                    CorruptRecordException.Excerpt(line), canContinue: true, fix: TextSource.InvalidUtf8Fix);
            return true;
        }
    }

    public void Dispose() => _lines.Dispose();
}
