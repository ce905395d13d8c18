using System.Buffers.Binary;
using System.Text;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// A minimal protobuf encoder (varints, fixed32, length-delimited fields): enough to write ONNX's ModelProto by hand.
/// Nested messages are written to a child writer and copied in with their length prefix.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int WireVarint = 0;
    private const int WireFixed32 = 5;
    private const int WireLengthDelimited = 2;

    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>Number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>An int64/int32/enum field (negative values take ten bytes, as protobuf requires).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireVarint);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>A float field (fixed32, little-endian).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        WriteRaw(bytes);
    }

    /// <summary>A UTF-8 string field.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>An embedded message field: <paramref name="writeBody"/> writes the message's own fields.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> writeBody)
    {
        var child = new ProtobufWriter();
        writeBody(child);
        WriteBytes(field, child.WrittenSpan);
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_length++] = (byte)value;
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var size = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, size);
    }
}
