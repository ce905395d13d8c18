using System.Runtime.InteropServices;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds an ONNX graph (default domain, standard operators only) node by node and writes it as a model file, with no
/// dependency on Python or protoc. Value names are generated unless given; op helpers live in OnnxGraphBuilder.Ops.cs.
/// </summary>
public sealed partial class OnnxGraphBuilder
{
    private readonly List<GraphNode> _nodes = [];
    private readonly List<GraphValueInfo> _inputs = [];
    private readonly List<GraphValueInfo> _outputs = [];
    private readonly List<GraphInitializer> _initializers = [];
    private readonly HashSet<string> _valueNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nameCounters = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name (stored in the model).</param>
    /// <param name="opsetVersion">Default-domain opset to import; the op helpers follow opset 17 signatures (13..17 compatible).</param>
    public OnnxGraphBuilder(string graphName = "main", int opsetVersion = 17)
    {
        if (string.IsNullOrWhiteSpace(graphName)) throw new ArgumentException("The graph needs a name.", nameof(graphName));
        if (opsetVersion is < 13 or > 17)
            throw new ArgumentOutOfRangeException(nameof(opsetVersion), opsetVersion, "The op helpers use opset 13..17 signatures (e.g. ReduceMean axes as an attribute); pass 17.");
        GraphName = graphName;
        OpsetVersion = opsetVersion;
    }

    /// <summary>The graph's name.</summary>
    public string GraphName { get; }

    /// <summary>The default-domain opset the model imports.</summary>
    public int OpsetVersion { get; }

    /// <summary>Names of the graph inputs, in order.</summary>
    public IReadOnlyList<string> InputNames => _inputs.Select(i => i.Name).ToArray();

    /// <summary>Names of the graph outputs, in order.</summary>
    public IReadOnlyList<string> OutputNames => _outputs.Select(o => o.Name).ToArray();

    /// <summary>Number of nodes added so far.</summary>
    public int NodeCount => _nodes.Count;

    internal IReadOnlyList<GraphNode> Nodes => _nodes;
    internal IReadOnlyList<GraphValueInfo> Inputs => _inputs;
    internal IReadOnlyList<GraphValueInfo> Outputs => _outputs;
    internal IReadOnlyList<GraphInitializer> Initializers => _initializers;

    /// <summary>Declares a graph input and returns its name.</summary>
    public string AddInput(string name, OnnxElementType elementType, params OnnxDim[] shape)
    {
        Claim(name, nameof(name));
        _inputs.Add(new GraphValueInfo(name, elementType, shape.ToArray()));
        return name;
    }

    /// <summary>Declares a graph output; <paramref name="name"/> must already be produced by a node (use the op helpers' output argument).</summary>
    public void AddOutput(string name, OnnxElementType elementType, params OnnxDim[] shape)
    {
        if (!_valueNames.Contains(name))
            throw new ArgumentException($"No value named '{name}' exists yet; produce it first (e.g. Identity(x, output: \"{name}\")).", nameof(name));
        if (_outputs.Any(o => o.Name == name))
            throw new ArgumentException($"'{name}' is already a graph output.", nameof(name));
        _outputs.Add(new GraphValueInfo(name, elementType, shape.ToArray()));
    }

    /// <summary>Adds a float32 constant tensor (row-major <paramref name="values"/>) and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddRaw(name, OnnxElementType.Float, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Adds a float16 constant tensor, rounding each float32 value to the nearest half, and returns its name.</summary>
    public string AddFloat16Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
        return AddRaw(name, OnnxElementType.Float16, dims, values.Length, MemoryMarshal.AsBytes(halves.AsSpan()).ToArray());
    }

    /// <summary>Adds an int64 constant tensor and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddRaw(name, OnnxElementType.Int64, dims, values.Length, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A 1-D int64 constant (e.g. a shape or axes list) with a generated name.</summary>
    public string Constant(params long[] values) => AddInitializer(FreshName("const"), values, values.Length);

    /// <summary>A scalar (0-D) int64 constant with a generated name.</summary>
    public string Scalar(long value) => AddInitializer(FreshName("scalar"), [value]);

    /// <summary>A scalar (0-D) float32 constant with a generated name.</summary>
    public string Scalar(float value) => AddInitializer(FreshName("scalar"), [value]);

    /// <summary>A scalar (0-D) float constant stored as <paramref name="type"/> (Float or Float16) with a generated name.</summary>
    public string Scalar(float value, OnnxElementType type) => type switch
    {
        OnnxElementType.Float => Scalar(value),
        OnnxElementType.Float16 => AddFloat16Initializer(FreshName("scalar"), [value]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "A float scalar is Float or Float16."),
    };

    /// <summary>Adds a node with any number of outputs; returns the output names (generated where <paramref name="outputNames"/> is null).</summary>
    /// <remarks><paramref name="domain"/> is "" for standard operators, <see cref="MicrosoftDomain"/> for ONNX Runtime's contrib operators; an empty input name is an omitted optional input.</remarks>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount = 1,
        IReadOnlyList<OnnxAttribute>? attributes = null, IReadOnlyList<string>? outputNames = null, string domain = "")
    {
        if (string.IsNullOrWhiteSpace(opType)) throw new ArgumentException("A node needs an op type such as \"MatMul\".", nameof(opType));
        if (outputNames is not null && outputNames.Count != outputCount)
            throw new ArgumentException($"{outputNames.Count} output names were given for {outputCount} outputs.", nameof(outputNames));
        foreach (var input in inputs)
        {
            if (input.Length > 0 && !_valueNames.Contains(input))
                throw new ArgumentException($"{opType}: input '{input}' is not defined yet; add the input, initializer or node that produces it first.", nameof(inputs));
        }
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = outputNames?[i] ?? FreshName(opType);
            if (outputs[i].Length > 0) Claim(outputs[i], nameof(outputNames));   // "" = an optional output not produced
        }
        _nodes.Add(new GraphNode(FreshName(opType + "_node"), opType, inputs.ToArray(), outputs, attributes?.ToArray() ?? [], domain ?? ""));
        return outputs;
    }

    /// <summary>Adds a single-output node and returns its output name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string? output, params OnnxAttribute[] attributes) =>
        AddNode(opType, inputs, 1, attributes, output is null ? null : [output])[0];

    /// <summary>ONNX Runtime's contrib operator domain (GroupQueryAttention, MatMulNBits, SkipSimplifiedLayerNormalization).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>Bytes of all initializers: the weights' size on disk.</summary>
    public long InitializerBytes => _initializers.Sum(i => i.Data.ByteLength);

    /// <summary>Adds a constant tensor of any element type whose bytes are held or produced by <paramref name="data"/>; returns its name.</summary>
    public string AddInitializer(string name, OnnxElementType elementType, long[] dims, TensorData data)
    {
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var d in dims) count *= d >= 0 ? d : throw new ArgumentOutOfRangeException(nameof(dims), d, "Initializer dimensions must be >= 0.");
        long expected = count * ElementBytes(elementType);
        if (data.ByteLength != expected)
            throw new ArgumentException($"Initializer '{name}' has {data.ByteLength} bytes but {elementType} dims [{string.Join(", ", dims)}] need {expected}.", nameof(data));
        Claim(name, nameof(name));
        _initializers.Add(new GraphInitializer(name, elementType, dims.ToArray(), data));
        return name;
    }

    /// <summary>The model file's bytes with every initializer stored inline.</summary>
    public byte[] ToModelBytes() => OnnxModelSerializer.Serialize(this, externalDataFileName: null, externalData: null);

    /// <summary>
    /// Writes the model to <paramref name="path"/>. With <paramref name="externalData"/>, initializers of at least
    /// <paramref name="externalThresholdBytes"/> bytes go to "&lt;file name&gt;.data" beside it (ONNX external-data layout).
    /// </summary>
    public void Save(string path, bool externalData = false, int externalThresholdBytes = 1024)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (externalThresholdBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(externalThresholdBytes), externalThresholdBytes, "Use 0 or more bytes.");
        if (!externalData)
        {
            File.WriteAllBytes(path, ToModelBytes());
            return;
        }
        var dataName = System.IO.Path.GetFileName(path) + ".data";
        var dataPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, dataName);
        byte[] model;
        using (var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            model = OnnxModelSerializer.Serialize(this, dataName, new ExternalDataSink(data, externalThresholdBytes));
        File.WriteAllBytes(path, model);
    }

    /// <summary>A new value name with the given prefix that is unused in this graph.</summary>
    public string FreshName(string prefix)
    {
        _nameCounters.TryGetValue(prefix, out var n);
        string name;
        do name = $"{prefix}_{n++}";
        while (_valueNames.Contains(name));
        _nameCounters[prefix] = n;
        return name;
    }

    private static int ElementBytes(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Int32 => 4,
        OnnxElementType.Int64 => 8,
        OnnxElementType.Float16 => 2,
        OnnxElementType.UInt8 or OnnxElementType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported initializer element type."),
    };

    private string AddRaw(string name, OnnxElementType type, long[] dims, int count, byte[] data)
    {
        long expected = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), d, "Initializer dimensions must be >= 0.");
            expected *= d;
        }
        if (expected != count)
            throw new ArgumentException($"Initializer '{name}' has {count} values but dims [{string.Join(", ", dims)}] need {expected}.", nameof(dims));
        Claim(name, nameof(name));
        _initializers.Add(new GraphInitializer(name, type, dims.ToArray(), TensorData.FromBytes(data)));
        return name;
    }

    private void Claim(string name, string paramName)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Value names must be non-empty.", paramName);
        if (!_valueNames.Add(name))
            throw new ArgumentException($"The value name '{name}' is already used in this graph; pick another.", paramName);
    }
}
