using System.Text.Json;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes the Hugging Face tokenizer files of <see cref="ByteLevelVocabulary"/>: tokenizer.json (BPE over the 256
/// GPT-2 byte symbols with no merges, ByteLevel pre-tokenizer and decoder, &lt;s&gt;/&lt;/s&gt;/&lt;pad&gt; as special added
/// tokens, a TemplateProcessing post-processor that prepends &lt;s&gt;), tokenizer_config.json and special_tokens_map.json.
/// </summary>
internal static class ByteLevelTokenizerWriter
{
    public const string TokenizerFile = "tokenizer.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";
    public const string SpecialTokensMapFile = "special_tokens_map.json";

    private static readonly (int Id, string Content)[] Specials =
    [
        (ByteLevelVocabulary.BosId, ByteLevelVocabulary.BosToken),
        (ByteLevelVocabulary.EosId, ByteLevelVocabulary.EosToken),
        (ByteLevelVocabulary.PadId, ByteLevelVocabulary.PadToken),
    ];

    public static void WriteAll(string folder, int modelMaxLength)
    {
        JsonFileWriter.Write(Path.Combine(folder, TokenizerFile), WriteTokenizerJson);
        JsonFileWriter.Write(Path.Combine(folder, TokenizerConfigFile), w => WriteTokenizerConfig(w, modelMaxLength));
        JsonFileWriter.Write(Path.Combine(folder, SpecialTokensMapFile), WriteSpecialTokensMap);
    }

    private static void WriteTokenizerJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var (id, content) in Specials)
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            WriteAddedTokenFlags(w, content);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNull("normalizer");
        w.WriteStartObject("pre_tokenizer");
        WriteByteLevel(w, addPrefixSpace: false);
        w.WriteEndObject();
        WritePostProcessor(w);
        w.WriteStartObject("decoder");
        WriteByteLevel(w, addPrefixSpace: true);
        w.WriteEndObject();
        WriteModel(w);
        w.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter w, bool addPrefixSpace)
    {
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", addPrefixSpace);
        w.WriteBoolean("trim_offsets", true);
        w.WriteBoolean("use_regex", true);
    }

    private static void WritePostProcessor(Utf8JsonWriter w)
    {
        w.WriteStartObject("post_processor");
        w.WriteString("type", "TemplateProcessing");
        w.WriteStartArray("single");
        WritePiece(w, "SpecialToken", ByteLevelVocabulary.BosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        w.WriteEndArray();
        w.WriteStartArray("pair");
        WritePiece(w, "SpecialToken", ByteLevelVocabulary.BosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        WritePiece(w, "SpecialToken", ByteLevelVocabulary.BosToken, 1);
        WritePiece(w, "Sequence", "B", 1);
        w.WriteEndArray();
        w.WriteStartObject("special_tokens");
        w.WriteStartObject(ByteLevelVocabulary.BosToken);
        w.WriteString("id", ByteLevelVocabulary.BosToken);
        w.WriteStartArray("ids");
        w.WriteNumberValue(ByteLevelVocabulary.BosId);
        w.WriteEndArray();
        w.WriteStartArray("tokens");
        w.WriteStringValue(ByteLevelVocabulary.BosToken);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
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

    private static void WriteModel(Utf8JsonWriter w)
    {
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteNull("continuing_subword_prefix");
        w.WriteNull("end_of_word_suffix");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", false);
        w.WriteStartObject("vocab");
        for (var id = 0; id < ByteLevelVocabulary.Size; id++) w.WriteNumber(ByteLevelVocabulary.TokenOf(id), id);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTokenizerConfig(Utf8JsonWriter w, int modelMaxLength)
    {
        w.WriteStartObject();
        w.WriteBoolean("add_bos_token", true);
        w.WriteBoolean("add_eos_token", false);
        w.WriteStartObject("added_tokens_decoder");
        foreach (var (id, content) in Specials)
        {
            w.WriteStartObject(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteAddedTokenFlags(w, content);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("bos_token", ByteLevelVocabulary.BosToken);
        w.WriteString("eos_token", ByteLevelVocabulary.EosToken);
        w.WriteString("pad_token", ByteLevelVocabulary.PadToken);
        w.WriteNull("unk_token");
        w.WriteBoolean("clean_up_tokenization_spaces", false);
        w.WriteNumber("model_max_length", modelMaxLength);
        w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        w.WriteEndObject();
    }

    internal static void WriteAddedTokenFlags(Utf8JsonWriter w, string content)
    {
        w.WriteString("content", content);
        w.WriteBoolean("single_word", false);
        w.WriteBoolean("lstrip", false);
        w.WriteBoolean("rstrip", false);
        w.WriteBoolean("normalized", false);
        w.WriteBoolean("special", true);
    }

    private static void WriteSpecialTokensMap(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("bos_token", ByteLevelVocabulary.BosToken);
        w.WriteString("eos_token", ByteLevelVocabulary.EosToken);
        w.WriteString("pad_token", ByteLevelVocabulary.PadToken);
        w.WriteEndObject();
    }
}
