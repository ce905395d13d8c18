using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignedGen.ModelBuilding;

/// <summary>Writes indented JSON files byte-for-byte reproducibly ("\n" line ends, no BOM, readable non-ASCII).</summary>
internal static class JsonFileWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, Action<Utf8JsonWriter> writeValue)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options)) writeValue(writer);
        stream.WriteByte((byte)'\n');
        File.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>Writes eos as a number when there is one id, as a list otherwise (Hugging Face accepts both).</summary>
    public static void WriteIdOrList(Utf8JsonWriter writer, string name, IReadOnlyList<int> ids)
    {
        if (ids.Count == 1)
        {
            writer.WriteNumber(name, ids[0]);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var id in ids) writer.WriteNumberValue(id);
        writer.WriteEndArray();
    }

    /// <summary>Writes a nullable id as a number or null.</summary>
    public static void WriteOptionalId(Utf8JsonWriter writer, string name, int? id)
    {
        if (id is int value) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
