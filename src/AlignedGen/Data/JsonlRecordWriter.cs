using System.Buffers;
using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>Writes JSON Lines: one compact JSON object per row, '\n' terminated; each batch goes out in one write.</summary>
public sealed class JsonlRecordWriter : IRecordWriter
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _json;

    /// <summary>Writes to a stream (at its current position); <paramref name="targetName"/> names it in errors.</summary>
    public JsonlRecordWriter(Stream stream, string targetName, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        TargetName = targetName ?? throw new ArgumentNullException(nameof(targetName));
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, DataValues.WriterOptions);
    }

    public string TargetName { get; }

    public RecordFormat Format => RecordFormat.Jsonl;

    public long RowsWritten { get; private set; }

    public void Write(IReadOnlyList<DataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _buffer.ResetWrittenCount();
        foreach (var row in rows)
        {
            _json.Reset(_buffer);
            WriteRow(_json, row);
            _json.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
        }
        _stream.Write(_buffer.WrittenSpan);
        RowsWritten += rows.Count;
    }

    public void Flush(bool toDisk)
    {
        if (toDisk && _stream is FileStream fs) fs.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    internal static void WriteRow(Utf8JsonWriter writer, DataRow row)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in row)
        {
            writer.WritePropertyName(name);
            DataValues.WriteJson(writer, value);
        }
        writer.WriteEndObject();
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
