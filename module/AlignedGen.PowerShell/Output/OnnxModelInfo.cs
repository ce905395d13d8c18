namespace AlignedGen.PowerShell.Output;

/// <summary>What ONNX Runtime reports about a model file: metadata, inputs and outputs. Written by Get-OnnxModelInfo.</summary>
public sealed class OnnxModelInfo
{
    /// <summary>Full path of the .onnx file.</summary>
    public required string Path { get; init; }

    /// <summary>The tool that wrote the model (e.g. pytorch, onnxruntime-genai).</summary>
    public required string ProducerName { get; init; }

    /// <summary>The graph's name.</summary>
    public required string GraphName { get; init; }

    /// <summary>The model's domain (often empty).</summary>
    public required string Domain { get; init; }

    /// <summary>The model's version number.</summary>
    public required long Version { get; init; }

    /// <summary>The model's doc string (often empty).</summary>
    public required string Description { get; init; }

    /// <summary>Custom metadata key/value pairs stored in the model.</summary>
    public required IReadOnlyDictionary<string, string> CustomMetadata { get; init; }

    /// <summary>The graph inputs, in order.</summary>
    public required OnnxTensorInfo[] Inputs { get; init; }

    /// <summary>The graph outputs, in order.</summary>
    public required OnnxTensorInfo[] Outputs { get; init; }

    /// <inheritdoc />
    public override string ToString() => Path;
}
