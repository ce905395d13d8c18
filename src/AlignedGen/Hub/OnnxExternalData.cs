using System.Text;

namespace AlignedGen.Hub;

/// <summary>
/// Reads which external-data files an ONNX graph refers to (TensorProto.external_data "location" entries), so a download
/// fetches exactly the data files the graph needs. Walks the protobuf without loading it: tensor payloads (raw_data,
/// often gigabytes when data is embedded) are skipped by seeking. Field numbers are from onnx/onnx.proto.
/// </summary>
internal static class OnnxExternalData
{
    // ModelProto.graph = 7, ModelProto.functions = 25 (FunctionProto.node = 7).
    // GraphProto: node = 1, initializer = 5, sparse_initializer = 15.
    // NodeProto.attribute = 5; AttributeProto: t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23.
    // SparseTensorProto: values = 1, indices = 2. TensorProto.external_data = 13; StringStringEntryProto: key = 1, value = 2.
    private enum Message { Model, Function, Graph, Node, Attribute, SparseTensor, Tensor, Entry }

    /// <summary>The distinct relative paths of the external-data files <paramref name="graphPath"/> names, in first-seen order.</summary>
    public static IReadOnlyList<string> Locations(string graphPath)
    {
        using var stream = new FileStream(graphPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var found = new List<string>();
        Walk(stream, stream.Length, Message.Model, found, depth: 0);
        return found;
    }

    private static void Walk(Stream stream, long end, Message message, List<string> found, int depth)
    {
        if (depth > 64) throw new InvalidDataException("the ONNX graph nests deeper than 64 messages.");
        string? key = null, value = null;
        while (stream.Position < end)
        {
            var tag = ReadVarint(stream);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    ReadVarint(stream);
                    break;
                case 1:
                    stream.Seek(8, SeekOrigin.Current);
                    break;
                case 5:
                    stream.Seek(4, SeekOrigin.Current);
                    break;
                case 2:
                    var length = (long)ReadVarint(stream);
                    var fieldEnd = stream.Position + length;
                    if (length < 0 || fieldEnd > end) throw new InvalidDataException("a field runs past the end of the ONNX file.");
                    var child = Child(message, field);
                    if (child is { } inner)
                        Walk(stream, fieldEnd, inner, found, depth + 1);
                    else if (message == Message.Entry && field is 1 or 2 && length <= 4096)
                    {
                        var text = ReadString(stream, (int)length);
                        if (field == 1) key = text; else value = text;
                    }
                    stream.Position = fieldEnd;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire} is not protobuf; the file is not an ONNX model.");
            }
        }
        if (message == Message.Entry && key == "location" && !string.IsNullOrEmpty(value) && !found.Contains(value))
            found.Add(value);
    }

    private static Message? Child(Message parent, int field) => (parent, field) switch
    {
        (Message.Model, 7) => Message.Graph,
        (Message.Model, 25) => Message.Function,
        (Message.Function, 7) => Message.Node,
        (Message.Graph, 1) => Message.Node,
        (Message.Graph, 5) => Message.Tensor,
        (Message.Graph, 15) => Message.SparseTensor,
        (Message.Node, 5) => Message.Attribute,
        (Message.Attribute, 5 or 10) => Message.Tensor,
        (Message.Attribute, 6 or 11) => Message.Graph,
        (Message.Attribute, 22 or 23) => Message.SparseTensor,
        (Message.SparseTensor, 1 or 2) => Message.Tensor,
        (Message.Tensor, 13) => Message.Entry,
        _ => null,
    };

    private static ulong ReadVarint(Stream stream)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0) throw new InvalidDataException("the ONNX file ends inside a field.");
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("a varint is longer than 10 bytes; the file is not an ONNX model.");
    }

    private static string ReadString(Stream stream, int length)
    {
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }
}
