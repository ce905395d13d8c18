using System.Text.Json;

namespace AlignedGen.ModelBuilding;

/// <summary>The fixed head of a tokenizer.json byte-level BPE "model" object, shared by the tokenizer writers.</summary>
internal static class BpeModelJson
{
    /// <summary>
    /// Opens the "model" object and writes its settings; the caller writes "vocab" and "merges" and closes it.
    /// <paramref name="ignoreMerges"/>: whole-word vocabulary hits win over merges (tiktoken's rank order does).
    /// </summary>
    public static void WriteStart(Utf8JsonWriter w, bool ignoreMerges)
    {
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteNull("continuing_subword_prefix");
        w.WriteNull("end_of_word_suffix");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", ignoreMerges);
    }
}
