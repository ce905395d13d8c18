using System.Text.Json;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// Lists the failed rows of a completed output in &lt;output&gt;.errors.jsonl, one {row, id, error} per line (row: its
/// 1-based position in the output), written atomically when the output is; a stale file is removed when none failed.
/// </summary>
internal sealed class FailedRowLog : IDisposable
{
    private readonly string _path;
    private readonly string? _idColumn;
    private readonly Func<DataRow, string?> _error;
    private AtomicFile? _file;
    private long _row;

    internal FailedRowLog(string path, string? idColumn, Func<DataRow, string?> error)
    {
        _path = path;
        _idColumn = idColumn;
        _error = error;
    }

    internal long Count { get; private set; }

    /// <summary>Looks at the next row of the output, in order.</summary>
    internal void Observe(DataRow row)
    {
        _row++;
        if (_error(row) is not { } error) return;
        Count++;
        _file ??= OutputFile.Create(_path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, DataValues.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("row", _row);
            if (_idColumn is not null) json.WriteString("id", row.GetText(_idColumn));
            json.WriteString("error", error);
            json.WriteEndObject();
        }
        _file.Stream.Write(buffer.WrittenSpan);
        _file.Stream.WriteByte((byte)'\n');
    }

    /// <summary>Puts the file in place (or removes an old one when no row failed); returns the number of failed rows.</summary>
    internal long Commit()
    {
        if (_file is not null) _file.Commit();
        else if (File.Exists(_path)) File.Delete(_path);
        return Count;
    }

    public void Dispose() => _file?.Dispose();
}
