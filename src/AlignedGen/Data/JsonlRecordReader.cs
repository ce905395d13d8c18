using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// Reads JSON Lines: one JSON object per line ('\n' ends a line; '\r' is whitespace), blank lines ignored. Streams line by
/// line over bytes: invalid UTF-8, undecodable escapes (a lone surrogate such as \ud800) and repeated keys are record errors
/// naming the line (and byte offset); each value keeps its JSON text so untouched columns are written back byte for byte.
/// </summary>
public sealed class JsonlRecordReader : IRecordReader
{
    private readonly JsonLineReader _lines;

    /// <summary>Reads from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    public JsonlRecordReader(Stream stream, string sourceName, bool leaveOpen = false, RecordReaderOptions? options = null)
    {
        _lines = new JsonLineReader(stream, sourceName, options, leaveOpen);
    }

    public string SourceName => _lines.SourceName;

    public RecordFormat Format => RecordFormat.Jsonl;

    public IReadOnlyList<string>? DeclaredColumns => null;

    public long LineNumber => _lines.LineNumber;

    public DataRow? Read()
    {
        if (!_lines.TryReadBytes(out var bytes)) return null;
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
