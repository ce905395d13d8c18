using System.Text.Json;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes the Hugging Face tokenizer files of a <see cref="WordVocabulary"/>: tokenizer.json (a WordPiece model whose
/// pieces are whole words, BERT's pre-tokenizer, no lowercasing, a TemplateProcessing post-processor that prepends
/// &lt;s&gt;, the WordPiece decoder that joins words with spaces and tidies " ." into "."), tokenizer_config.json and
/// special_tokens_map.json.
/// </summary>
internal static class WordPieceTokenizerWriter
{
    public static void WriteAll(string folder, WordVocabulary vocabulary, int modelMaxLength)
    {
        JsonFileWriter.Write(Path.Combine(folder, "tokenizer.json"), w => WriteTokenizerJson(w, vocabulary));
        JsonFileWriter.Write(Path.Combine(folder, "tokenizer_config.json"), w => WriteTokenizerConfig(w, modelMaxLength));
        JsonFileWriter.Write(Path.Combine(folder, "special_tokens_map.json"), WriteSpecialTokensMap);
    }

    private static readonly (int Id, string Content)[] Specials =
    [
        (WordVocabulary.PadId, WordVocabulary.PadToken), (WordVocabulary.BosId, WordVocabulary.BosToken),
        (WordVocabulary.EosId, WordVocabulary.EosToken), (WordVocabulary.UnkId, WordVocabulary.UnkToken),
    ];

    private static void WriteTokenizerJson(Utf8JsonWriter w, WordVocabulary vocabulary)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        TokenizerJsonParts.WriteAddedTokens(w, Specials);
        w.WriteNull("normalizer");
        w.WriteStartObject("pre_tokenizer");
        w.WriteString("type", "BertPreTokenizer");
        w.WriteEndObject();
        TokenizerJsonParts.WriteBosPostProcessor(w, WordVocabulary.BosToken, WordVocabulary.BosId, bosBeforeSecond: false);
        w.WriteStartObject("decoder");
        w.WriteString("type", "WordPiece");
        w.WriteString("prefix", "##");
        w.WriteBoolean("cleanup", true);
        w.WriteEndObject();
        w.WriteStartObject("model");
        w.WriteString("type", "WordPiece");
        w.WriteString("unk_token", WordVocabulary.UnkToken);
        w.WriteString("continuing_subword_prefix", "##");
        w.WriteNumber("max_input_chars_per_word", 100);
        w.WriteStartObject("vocab");
        for (var id = 0; id < vocabulary.Size; id++) w.WriteNumber(vocabulary.Tokens[id], id);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTokenizerConfig(Utf8JsonWriter w, int modelMaxLength) =>
        TokenizerJsonParts.WriteTokenizerConfig(w, Specials, WordVocabulary.BosToken, WordVocabulary.EosToken, WordVocabulary.PadToken,
            WordVocabulary.UnkToken, cleanUpSpaces: true, modelMaxLength);

    private static void WriteSpecialTokensMap(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("bos_token", WordVocabulary.BosToken);
        w.WriteString("eos_token", WordVocabulary.EosToken);
        w.WriteString("pad_token", WordVocabulary.PadToken);
        w.WriteString("unk_token", WordVocabulary.UnkToken);
        w.WriteEndObject();
    }
}
