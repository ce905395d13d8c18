using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// Reads JSON Lines: one JSON object per line ('\n' ends a line; '\r' is whitespace), blank lines ignored. Streams line by
/// line over bytes: invalid UTF-8, undecodable escapes (a lone surrogate such as \ud800) and repeated keys are record errors
/// naming the line (and byte offset); each value keeps its JSON text so untouched columns are written back byte for byte.
/// </summary>
public sealed class JsonlRecordReader : IRecordReader
{
    private readonly Utf8LineReader _lines;
    private readonly bool _replaceInvalidUtf8;
    private readonly bool _transcoded;

    /// <summary>Reads from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    public JsonlRecordReader(Stream stream, string sourceName, bool leaveOpen = false, RecordReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        _replaceInvalidUtf8 = (options ?? RecordReaderOptions.Default).ReplaceInvalidUtf8;
        var (text, start, transcoded) = TextSource.Open(stream, leaveOpen);
        _transcoded = transcoded;
        _lines = new Utf8LineReader(text, start, leaveOpen && !transcoded);
    }

    public string SourceName { get; }

    public RecordFormat Format => RecordFormat.Jsonl;

    public IReadOnlyList<string>? DeclaredColumns => null;

    public long LineNumber { get; private set; }

    public DataRow? Read()
    {
        while (true)
        {
            ReadOnlySpan<byte> line;
            try
            {
                if (!_lines.TryRead(out line)) return null;
            }
            catch (System.Text.DecoderFallbackException ex)
            {
                throw new CorruptRecordException(SourceName, _lines.LineNumber + 1, $"the UTF-16 text is invalid ({ex.Message}).", null,
                    canContinue: false, ex, "re-save the file as UTF-8 or valid UTF-16.");
            }
            if (IsBlank(line)) continue;
            LineNumber = _lines.LineNumber;
            return Parse(line);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;

    private DataRow Parse(ReadOnlySpan<byte> line)
    {
        var invalid = TextSource.FirstInvalidUtf8(line);
        byte[] bytes;
        if (invalid < 0) bytes = line.ToArray();
        else if (_replaceInvalidUtf8) bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(line));
        else
            throw new CorruptRecordException(SourceName, LineNumber, TextSource.InvalidUtf8Problem(_lines.LineOffset + invalid, line[invalid], _transcoded),
                CorruptRecordException.Excerpt(line), canContinue: true, fix: TextSource.InvalidUtf8Fix);
        try
        {
            return JsonRowParser.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw Corrupt($"the line is not valid JSON ({ex.Message}).", bytes, ex);
        }
        catch (JsonRowParser.BadRowException ex)
        {
            throw Corrupt(ex.Message, bytes, null);
        }
    }

    private CorruptRecordException Corrupt(string problem, byte[] line, Exception? inner) =>
        new(SourceName, LineNumber, problem, CorruptRecordException.Excerpt(line), canContinue: true, inner);

    public void Dispose() => _lines.Dispose();
}
