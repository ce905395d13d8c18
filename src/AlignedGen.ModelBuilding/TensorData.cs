namespace AlignedGen.ModelBuilding;

/// <summary>
/// The raw little-endian bytes of an initializer, either held in memory or produced on demand while the model file
/// is written, so a multi-gigabyte weight never has to exist as one array.
/// </summary>
public abstract class TensorData
{
    /// <summary>Number of bytes <see cref="WriteTo"/> writes.</summary>
    public abstract long ByteLength { get; }

    /// <summary>Writes exactly <see cref="ByteLength"/> bytes.</summary>
    public abstract void WriteTo(Stream stream);

    /// <summary>Bytes already in memory.</summary>
    public static TensorData FromBytes(byte[] bytes) => new InMemory(bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <summary>Bytes produced when the file is written (<paramref name="write"/> must write exactly <paramref name="byteLength"/> bytes).</summary>
    public static TensorData Generated(long byteLength, Action<Stream> write) =>
        byteLength >= 0 ? new OnDemand(byteLength, write ?? throw new ArgumentNullException(nameof(write)))
            : throw new ArgumentOutOfRangeException(nameof(byteLength), byteLength, "A tensor has 0 or more bytes.");

    /// <summary>The bytes as one array (inline storage in the model file); refuses tensors too large for one array.</summary>
    public byte[] ToArray()
    {
        if (this is InMemory memory) return memory.Bytes;
        if (ByteLength > Array.MaxLength)
            throw new InvalidOperationException($"A tensor of {ByteLength} bytes cannot be stored inline in an ONNX file (protobuf's limit is 2 GiB); save with external data.");
        using var stream = new MemoryStream((int)ByteLength);
        WriteTo(stream);
        return stream.Length == ByteLength ? stream.ToArray()
            : throw new InvalidOperationException($"The tensor writer produced {stream.Length} bytes, not the {ByteLength} it declared.");
    }

    private sealed class InMemory(byte[] bytes) : TensorData
    {
        public byte[] Bytes => bytes;
        public override long ByteLength => bytes.Length;
        public override void WriteTo(Stream stream) => stream.Write(bytes);
    }

    private sealed class OnDemand(long byteLength, Action<Stream> write) : TensorData
    {
        public override long ByteLength => byteLength;

        public override void WriteTo(Stream stream)
        {
            long start = stream.Position;
            write(stream);
            if (stream.Position - start != byteLength)
                throw new InvalidOperationException($"The tensor writer produced {stream.Position - start} bytes, not the {byteLength} it declared.");
        }
    }
}
