using System.Globalization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Encodes an <see cref="OnnxGraphBuilder"/> as an ONNX ModelProto. Field numbers follow onnx/onnx.proto
/// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto, OperatorSetIdProto).
/// </summary>
internal static class OnnxModelSerializer
{
    /// <summary>IR version 8 is the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "AlignedGen.ModelBuilding";
    public const string ProducerVersion = "1";

    public static byte[] Serialize(OnnxGraphBuilder graph, string? externalDataFileName, ExternalDataSink? externalData)
    {
        var model = new ProtobufWriter();
        model.WriteInt64(1, IrVersion);                         // ModelProto.ir_version
        model.WriteString(2, ProducerName);                     // ModelProto.producer_name
        model.WriteString(3, ProducerVersion);                  // ModelProto.producer_version
        model.WriteMessage(7, g => WriteGraph(g, graph, externalDataFileName, externalData)); // ModelProto.graph
        model.WriteMessage(8, op =>                             // ModelProto.opset_import
        {
            op.WriteString(1, "");                              // OperatorSetIdProto.domain (default)
            op.WriteInt64(2, graph.OpsetVersion);               // OperatorSetIdProto.version
        });
        foreach (var domain in graph.Nodes.Select(n => n.Domain).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            model.WriteMessage(8, op =>                         // ModelProto.opset_import: contrib domains (com.microsoft is at version 1)
            {
                op.WriteString(1, domain);
                op.WriteInt64(2, 1);
            });
        }
        return model.ToArray();
    }

    private static void WriteGraph(ProtobufWriter w, OnnxGraphBuilder graph, string? dataFile, ExternalDataSink? sink)
    {
        foreach (var node in graph.Nodes) w.WriteMessage(1, n => WriteNode(n, node));       // GraphProto.node
        w.WriteString(2, graph.GraphName);                                                  // GraphProto.name
        foreach (var init in graph.Initializers) w.WriteMessage(5, t => WriteTensor(t, init, dataFile, sink)); // initializer
        foreach (var input in graph.Inputs) w.WriteMessage(11, v => WriteValueInfo(v, input));   // GraphProto.input
        foreach (var output in graph.Outputs) w.WriteMessage(12, v => WriteValueInfo(v, output)); // GraphProto.output
    }

    private static void WriteNode(ProtobufWriter w, GraphNode node)
    {
        foreach (var input in node.Inputs) w.WriteString(1, input);     // NodeProto.input
        foreach (var output in node.Outputs) w.WriteString(2, output);  // NodeProto.output
        w.WriteString(3, node.Name);                                    // NodeProto.name
        w.WriteString(4, node.OpType);                                  // NodeProto.op_type
        foreach (var attribute in node.Attributes) w.WriteMessage(5, a => WriteAttribute(a, attribute)); // NodeProto.attribute
        if (node.Domain.Length > 0) w.WriteString(7, node.Domain);     // NodeProto.domain
    }

    private static void WriteAttribute(ProtobufWriter w, OnnxAttribute a)
    {
        w.WriteString(1, a.Name);                   // AttributeProto.name
        w.WriteInt64(20, (long)a.Kind);             // AttributeProto.type
        switch (a.Kind)
        {
            case OnnxAttributeKind.Float: w.WriteFloat(2, a.FloatValue); break;           // f
            case OnnxAttributeKind.Int: w.WriteInt64(3, a.IntValue); break;               // i
            case OnnxAttributeKind.String: w.WriteString(4, a.StringValue!); break;       // s
            case OnnxAttributeKind.Floats: foreach (var f in a.Floats) w.WriteFloat(7, f); break; // floats (unpacked, proto2)
            case OnnxAttributeKind.Ints: foreach (var i in a.Ints) w.WriteInt64(8, i); break;     // ints (unpacked, proto2)
            default: throw new InvalidOperationException($"Attribute kind {a.Kind} is not supported.");
        }
    }

    private static void WriteTensor(ProtobufWriter w, GraphInitializer t, string? dataFile, ExternalDataSink? sink)
    {
        foreach (var d in t.Dims) w.WriteInt64(1, d);   // TensorProto.dims
        w.WriteInt64(2, (long)t.ElementType);           // TensorProto.data_type
        w.WriteString(8, t.Name);                       // TensorProto.name
        var offset = sink?.TryStore(t.Data);
        if (offset is null)
        {
            w.WriteBytes(9, t.Data.ToArray());          // TensorProto.raw_data
            return;
        }
        WriteEntry(w, "location", dataFile!);           // TensorProto.external_data
        WriteEntry(w, "offset", offset.Value.ToString(CultureInfo.InvariantCulture));
        WriteEntry(w, "length", t.Data.ByteLength.ToString(CultureInfo.InvariantCulture));
        w.WriteInt64(14, 1);                            // TensorProto.data_location = EXTERNAL
    }

    private static void WriteEntry(ProtobufWriter w, string key, string value) =>
        w.WriteMessage(13, e =>
        {
            e.WriteString(1, key);                      // StringStringEntryProto.key
            e.WriteString(2, value);                    // StringStringEntryProto.value
        });

    private static void WriteValueInfo(ProtobufWriter w, GraphValueInfo v)
    {
        w.WriteString(1, v.Name);                       // ValueInfoProto.name
        w.WriteMessage(2, type =>                       // ValueInfoProto.type
            type.WriteMessage(1, tensor =>              // TypeProto.tensor_type
            {
                tensor.WriteInt64(1, (long)v.ElementType); // TypeProto.Tensor.elem_type
                tensor.WriteMessage(2, shape =>         // TypeProto.Tensor.shape
                {
                    foreach (var dim in v.Shape)
                    {
                        shape.WriteMessage(1, d =>      // TensorShapeProto.dim
                        {
                            if (dim.Symbol is not null) d.WriteString(2, dim.Symbol); // dim_param
                            else d.WriteInt64(1, dim.Value ?? 0);                      // dim_value
                        });
                    }
                });
            }));
    }
}
