namespace AlignedGen.ModelBuilding;

/// <summary>Collects large initializers into an external data file; offsets are aligned to 4096 bytes as onnx.proto recommends.</summary>
internal sealed class ExternalDataSink(Stream stream, int thresholdBytes)
{
    private const int Alignment = 4096;

    /// <summary>Appends <paramref name="data"/> when it is large enough and returns its offset, or null to keep it inline.</summary>
    public long? TryStore(byte[] data)
    {
        if (data.Length < thresholdBytes || data.Length == 0) return null;
        var padding = (int)((Alignment - stream.Length % Alignment) % Alignment);
        if (padding > 0) stream.Write(new byte[padding]);
        var offset = stream.Length;
        stream.Write(data);
        return offset;
    }
}
