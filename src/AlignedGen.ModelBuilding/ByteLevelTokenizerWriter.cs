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
        TokenizerJsonParts.WriteAddedTokens(w, Specials);
        w.WriteNull("normalizer");
        w.WriteStartObject("pre_tokenizer");
        WriteByteLevel(w, addPrefixSpace: false);
        w.WriteEndObject();
        TokenizerJsonParts.WriteBosPostProcessor(w, ByteLevelVocabulary.BosToken, ByteLevelVocabulary.BosId, bosBeforeSecond: true);
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

    private static void WriteModel(Utf8JsonWriter w)
    {
        BpeModelJson.WriteStart(w, ignoreMerges: false);
        w.WriteStartObject("vocab");
        for (var id = 0; id < ByteLevelVocabulary.Size; id++) w.WriteNumber(ByteLevelVocabulary.TokenOf(id), id);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTokenizerConfig(Utf8JsonWriter w, int modelMaxLength) =>
        TokenizerJsonParts.WriteTokenizerConfig(w, Specials, ByteLevelVocabulary.BosToken, ByteLevelVocabulary.EosToken, ByteLevelVocabulary.PadToken,
            unk: null, cleanUpSpaces: false, modelMaxLength);

    private static void WriteSpecialTokensMap(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("bos_token", ByteLevelVocabulary.BosToken);
        w.WriteString("eos_token", ByteLevelVocabulary.EosToken);
        w.WriteString("pad_token", ByteLevelVocabulary.PadToken);
        w.WriteEndObject();
    }
}
