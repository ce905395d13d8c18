namespace AlignedGen.PowerShell.Output;

/// <summary>One input or output of an ONNX model, as ONNX Runtime reports it. Written by Get-OnnxModelInfo.</summary>
public sealed class OnnxTensorInfo
{
    /// <summary>"Input" or "Output".</summary>
    public required string Direction { get; init; }

    /// <summary>The tensor's name in the graph, e.g. input_ids.</summary>
    public required string Name { get; init; }

    /// <summary>Element type, e.g. Float, Int64, Float16; for non-tensor values the ONNX value type.</summary>
    public required string ElementType { get; init; }

    /// <summary>Dimensions; -1 where the dimension is symbolic or free.</summary>
    public required long[] Dimensions { get; init; }

    /// <summary>Symbolic dimension names ("" where the dimension is fixed).</summary>
    public required string[] SymbolicDimensions { get; init; }

    /// <summary>The shape as text, e.g. [batch_size, sequence_length, 512].</summary>
    public string Shape => "[" + string.Join(", ", Dimensions.Select((d, i) =>
        d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
               : i < SymbolicDimensions.Length && SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?")) + "]";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ElementType}{Shape}";
}
