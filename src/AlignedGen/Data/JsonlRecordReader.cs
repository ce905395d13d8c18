using System.Text;
using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>Reads JSON Lines: one JSON object per line; blank lines are ignored. Streams line by line.</summary>
public sealed class JsonlRecordReader : IRecordReader
{
    private readonly StreamReader _reader;
    private long _physicalLine;

    /// <summary>Reads from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    public JsonlRecordReader(Stream stream, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SourceName = sourceName ?? throw new ArgumentNullException(nameof(sourceName));
        _reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: leaveOpen);
    }

    public string SourceName { get; }

    public RecordFormat Format => RecordFormat.Jsonl;

    public IReadOnlyList<string>? DeclaredColumns => null;

    public long LineNumber { get; private set; }

    public DataRow? Read()
    {
        while (true)
        {
            var line = _reader.ReadLine();
            if (line is null) return null;
            _physicalLine++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            LineNumber = _physicalLine;
            return Parse(line);
        }
    }

    private DataRow Parse(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new CorruptRecordException(SourceName, LineNumber, $"the line is not valid JSON ({ex.Message}).",
                CorruptRecordException.Excerpt(line), canContinue: true, ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CorruptRecordException(SourceName, LineNumber,
                    $"the line holds a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.",
                    CorruptRecordException.Excerpt(line), canContinue: true);
            var row = new DataRow();
            foreach (var property in doc.RootElement.EnumerateObject())
                row.SetTrusted(property.Name, DataValues.FromJson(property.Value));
            return row;
        }
    }

    public void Dispose() => _reader.Dispose();
}
