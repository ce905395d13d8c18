using System.Text.Json;

namespace AlignedGen.ModelBuilding;

/// <summary>The pieces of Hugging Face tokenizer files that the byte-level and the word-level writers share.</summary>
internal static class TokenizerJsonParts
{
    /// <summary>An added token's flags: a special token, matched as written.</summary>
    public static void WriteAddedTokenFlags(Utf8JsonWriter w, string content)
    {
        w.WriteString("content", content);
        w.WriteBoolean("single_word", false);
        w.WriteBoolean("lstrip", false);
        w.WriteBoolean("rstrip", false);
        w.WriteBoolean("normalized", false);
        w.WriteBoolean("special", true);
    }

    /// <summary>The "added_tokens" array of tokenizer.json.</summary>
    public static void WriteAddedTokens(Utf8JsonWriter w, IEnumerable<(int Id, string Content)> specials)
    {
        w.WriteStartArray("added_tokens");
        foreach (var (id, content) in specials)
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            WriteAddedTokenFlags(w, content);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A TemplateProcessing post-processor that prepends <paramref name="bosToken"/> (and before a pair's second part when <paramref name="bosBeforeSecond"/>).</summary>
    public static void WriteBosPostProcessor(Utf8JsonWriter w, string bosToken, int bosId, bool bosBeforeSecond)
    {
        w.WriteStartObject("post_processor");
        w.WriteString("type", "TemplateProcessing");
        w.WriteStartArray("single");
        WritePiece(w, "SpecialToken", bosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        w.WriteEndArray();
        w.WriteStartArray("pair");
        WritePiece(w, "SpecialToken", bosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        if (bosBeforeSecond) WritePiece(w, "SpecialToken", bosToken, 1);
        WritePiece(w, "Sequence", "B", 1);
        w.WriteEndArray();
        w.WriteStartObject("special_tokens");
        w.WriteStartObject(bosToken);
        w.WriteString("id", bosToken);
        w.WriteStartArray("ids");
        w.WriteNumberValue(bosId);
        w.WriteEndArray();
        w.WriteStartArray("tokens");
        w.WriteStringValue(bosToken);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>tokenizer_config.json: BOS added, the special tokens, their names, and the maximum length.</summary>
    public static void WriteTokenizerConfig(Utf8JsonWriter w, IEnumerable<(int Id, string Content)> specials, string bos, string eos, string pad, string? unk,
        bool cleanUpSpaces, int modelMaxLength)
    {
        w.WriteStartObject();
        w.WriteBoolean("add_bos_token", true);
        w.WriteBoolean("add_eos_token", false);
        w.WriteStartObject("added_tokens_decoder");
        foreach (var (id, content) in specials)
        {
            w.WriteStartObject(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteAddedTokenFlags(w, content);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("bos_token", bos);
        w.WriteString("eos_token", eos);
        w.WriteString("pad_token", pad);
        if (unk is null) w.WriteNull("unk_token");
        else w.WriteString("unk_token", unk);
        w.WriteBoolean("clean_up_tokenization_spaces", cleanUpSpaces);
        w.WriteNumber("model_max_length", modelMaxLength);
        w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        w.WriteEndObject();
    }

    private static void WritePiece(Utf8JsonWriter w, string kind, string id, int typeId)
    {
        w.WriteStartObject();
        w.WriteStartObject(kind);
        w.WriteString("id", id);
        w.WriteNumber("type_id", typeId);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
