namespace AlignedGen.ModelBuilding;

/// <summary>Streams large initializers into an external data file; offsets are aligned to 4096 bytes as onnx.proto recommends.</summary>
internal sealed class ExternalDataSink(Stream stream, long thresholdBytes)
{
    private const int Alignment = 4096;

    /// <summary>Appends <paramref name="data"/> when it is large enough and returns its offset, or null to keep it inline.</summary>
    public long? TryStore(TensorData data)
    {
        if (data.ByteLength < thresholdBytes || data.ByteLength == 0) return null;
        var padding = (int)((Alignment - stream.Position % Alignment) % Alignment);
        if (padding > 0) stream.Write(new byte[padding]);
        var offset = stream.Position;
        data.WriteTo(stream);
        return offset;
    }
}
