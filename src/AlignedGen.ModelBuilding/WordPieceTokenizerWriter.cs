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
        w.WriteString("type", "BertPreTokenizer");
        w.WriteEndObject();
        w.WriteStartObject("post_processor");
        w.WriteString("type", "TemplateProcessing");
        w.WriteStartArray("single");
        WritePiece(w, "SpecialToken", WordVocabulary.BosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        w.WriteEndArray();
        w.WriteStartArray("pair");
        WritePiece(w, "SpecialToken", WordVocabulary.BosToken, 0);
        WritePiece(w, "Sequence", "A", 0);
        WritePiece(w, "Sequence", "B", 1);
        w.WriteEndArray();
        w.WriteStartObject("special_tokens");
        w.WriteStartObject(WordVocabulary.BosToken);
        w.WriteString("id", WordVocabulary.BosToken);
        w.WriteStartArray("ids");
        w.WriteNumberValue(WordVocabulary.BosId);
        w.WriteEndArray();
        w.WriteStartArray("tokens");
        w.WriteStringValue(WordVocabulary.BosToken);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
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

    private static void WritePiece(Utf8JsonWriter w, string kind, string id, int typeId)
    {
        w.WriteStartObject();
        w.WriteStartObject(kind);
        w.WriteString("id", id);
        w.WriteNumber("type_id", typeId);
        w.WriteEndObject();
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
        w.WriteString("bos_token", WordVocabulary.BosToken);
        w.WriteString("eos_token", WordVocabulary.EosToken);
        w.WriteString("pad_token", WordVocabulary.PadToken);
        w.WriteString("unk_token", WordVocabulary.UnkToken);
        w.WriteBoolean("clean_up_tokenization_spaces", true);
        w.WriteNumber("model_max_length", modelMaxLength);
        w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        w.WriteEndObject();
    }

    private static void WriteAddedTokenFlags(Utf8JsonWriter w, string content)
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
        w.WriteString("bos_token", WordVocabulary.BosToken);
        w.WriteString("eos_token", WordVocabulary.EosToken);
        w.WriteString("pad_token", WordVocabulary.PadToken);
        w.WriteString("unk_token", WordVocabulary.UnkToken);
        w.WriteEndObject();
    }
}
