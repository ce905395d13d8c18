using System.Text;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// Writes tiny ONNX models (protobuf by hand) for tests that need a graph with a given signature:
/// wrong inputs or outputs, or a deterministic "reward" such as the largest token id of each row.
/// </summary>
internal static class TinyOnnx
{
    public const int Float = 1;
    public const int Int64 = 7;

    public sealed record Value(string Name, int ElementType, params object[] Dims);

    public sealed record Node(string OpType, string[] Inputs, string[] Outputs, params (string Name, object Value)[] Attributes);

    /// <summary>A model with the given graph inputs, outputs and nodes (opset 13).</summary>
    public static byte[] Build(Value[] inputs, Value[] outputs, Node[] nodes)
    {
        var graph = new ProtoWriter();
        foreach (var n in nodes) graph.Message(1, NodeProto(n));
        graph.String(2, "tiny");
        foreach (var v in inputs) graph.Message(11, ValueInfo(v));
        foreach (var v in outputs) graph.Message(12, ValueInfo(v));
        var opset = new ProtoWriter();
        opset.String(1, "");
        opset.Varint(2, 13);
        var model = new ProtoWriter();
        model.Varint(1, 7);
        model.Message(8, opset);
        model.Message(7, graph);
        return model.ToArray();
    }

    /// <summary>A reward model whose logits [batch, 1] are the largest input id of each row as float (pads are 0); with <paramref name="nanForZeroRows"/>, max/max (NaN when a row's max is 0).</summary>
    public static byte[] MaxIdRewardModel(bool withTokenTypes = false, bool nanForZeroRows = false)
    {
        var inputs = new List<Value> { new("input_ids", Int64, "batch", "seq"), new("attention_mask", Int64, "batch", "seq") };
        if (withTokenTypes) inputs.Add(new("token_type_ids", Int64, "batch", "seq"));
        var nodes = new List<Node>
        {
            new("ReduceMax", new[] { "input_ids" }, new[] { "max" }, ("axes", new long[] { 1 }), ("keepdims", 1L)),
            new("Cast", new[] { "max" }, new[] { nanForZeroRows ? "maxf" : "logits" }, ("to", (long)Float)),
        };
        if (nanForZeroRows) nodes.Add(new("Div", new[] { "maxf", "maxf" }, new[] { "logits" }));
        return Build(inputs.ToArray(), new[] { new Value("logits", Float, "batch", 1L) }, nodes.ToArray());
    }

    /// <summary>Writes <paramref name="model"/> as model.onnx in a fresh temporary folder and returns the file path.</summary>
    public static string WriteTemp(byte[] model, string folderName)
    {
        var folder = Path.Combine(Path.GetTempPath(), "alignedgen-tests", folderName + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }

    private static ProtoWriter NodeProto(Node n)
    {
        var w = new ProtoWriter();
        foreach (var i in n.Inputs) w.String(1, i);
        foreach (var o in n.Outputs) w.String(2, o);
        w.String(3, n.OpType + "_" + n.Outputs[0]);
        w.String(4, n.OpType);
        foreach (var (name, value) in n.Attributes)
        {
            var a = new ProtoWriter();
            a.String(1, name);
            switch (value)
            {
                case long l:
                    a.Varint(3, l);
                    a.Varint(20, 2);
                    break;
                case long[] ls:
                    foreach (var x in ls) a.Varint(8, x);
                    a.Varint(20, 7);
                    break;
                default:
                    throw new ArgumentException("unsupported attribute " + name);
            }
            w.Message(5, a);
        }
        return w;
    }

    private static ProtoWriter ValueInfo(Value v)
    {
        var shape = new ProtoWriter();
        foreach (var d in v.Dims)
        {
            var dim = new ProtoWriter();
            if (d is string s) dim.String(2, s);
            else dim.Varint(1, Convert.ToInt64(d));
            shape.Message(1, dim);
        }
        var tensor = new ProtoWriter();
        tensor.Varint(1, v.ElementType);
        tensor.Message(2, shape);
        var type = new ProtoWriter();
        type.Message(1, tensor);
        var info = new ProtoWriter();
        info.String(1, v.Name);
        info.Message(2, type);
        return info;
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _stream.ToArray();

        private void Bytes(int field, byte[] bytes)
        {
            Tag(field, 2);
            Raw((ulong)bytes.Length);
            _stream.Write(bytes);
        }

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}
