using System.Buffers;
using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// Writes JSON Lines: one compact JSON object per row, '\n' terminated; each batch goes out in one write. A column read
/// from JSON and not changed since is written with its original text (numbers, escapes and spacing inside it kept).
/// </summary>
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
            WriteRow(_buffer, _json, row);
            _buffer.Write("\n"u8);
        }
        _stream.Write(_buffer.WrittenSpan);
        RowsWritten += rows.Count;
    }

    public void Flush(bool toDisk)
    {
        if (toDisk && _stream is FileStream fs) fs.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    /// <summary>Appends one row as a compact JSON object to <paramref name="buffer"/>; <paramref name="json"/> serialises values that have no source text.</summary>
    internal static void WriteRow(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, DataRow row)
    {
        buffer.Write("{"u8);
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0) buffer.Write(","u8);
            if (row.TryGetSourceName(i, out var name)) buffer.Write(name);
            else
            {
                json.Reset(buffer);
                json.WriteStringValue(row.ColumnNames[i]);
                json.Flush();
            }
            buffer.Write(":"u8);
            if (row.TryGetSourceValue(i, out var value)) buffer.Write(value);
            else
            {
                json.Reset(buffer);
                DataValues.WriteJson(json, row.ValueAt(i));
                json.Flush();
            }
        }
        buffer.Write("}"u8);
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
