using System.Text.Json;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// Records skipped input records: the first 1,000 in memory, all of them in a JSONL side file {line, problem, text}
/// written (and flushed) as they come. Every run walks the whole input again, so it rewrites the file from scratch.
/// </summary>
internal sealed class SkippedRecordLog : IDisposable
{
    internal const int KeptInMemory = 1000;
    private readonly List<SkippedRecord> _records = new();
    private FileStream? _file;

    internal SkippedRecordLog(string path)
    {
        Path = path;
    }

    internal string Path { get; }

    internal long Count { get; private set; }

    internal IReadOnlyList<SkippedRecord> Records => _records;

    internal void Add(long line, string problem, string? text)
    {
        Count++;
        if (_records.Count < KeptInMemory) _records.Add(new SkippedRecord(line, problem));
        _file ??= new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, DataValues.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("line", line);
            json.WriteString("problem", problem);
            if (text is null) json.WriteNull("text");
            else json.WriteString("text", text);
            json.WriteEndObject();
        }
        _file.Write(buffer.WrittenSpan);
        _file.WriteByte((byte)'\n');
        _file.Flush();
    }

    /// <summary>Deletes a side file left by an earlier run when this run skipped nothing.</summary>
    internal void DeleteStaleFile()
    {
        if (Count == 0 && File.Exists(Path)) File.Delete(Path);
    }

    public void Dispose() => _file?.Dispose();
}
