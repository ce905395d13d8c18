namespace AlignedGen.ModelBuilding;

/// <summary>A node of a graph under construction; <see cref="Domain"/> is "" for standard ONNX operators.</summary>
internal sealed record GraphNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes, string Domain = "");

/// <summary>A graph input or output with its element type and (possibly symbolic) shape.</summary>
internal sealed record GraphValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape);

/// <summary>A constant tensor of the graph; <see cref="Data"/> holds or produces its little-endian raw bytes.</summary>
internal sealed record GraphInitializer(string Name, OnnxElementType ElementType, IReadOnlyList<long> Dims, TensorData Data);
