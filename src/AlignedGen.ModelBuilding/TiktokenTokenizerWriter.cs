using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes an OpenAI tiktoken encoding (cl100k_base, o200k_base, from the Microsoft.ML.Tokenizers.Data packages) as a
/// Hugging Face tokenizer.json that AlignedGen and onnxruntime-genai both load: a byte-level BPE whose vocabulary is
/// the encoding's ranks and whose merges are recovered from them the way transformers' TikTokenConverter does (every
/// split of a token into two tokens, ordered by the merged token's rank), the encoding's split regex, and its special
/// tokens as added tokens. Llama 3's own tokenizer.json was produced the same way.
/// </summary>
internal static class TiktokenTokenizerWriter
{
    private static readonly Dictionary<string, string> SplitPatterns = new(StringComparer.Ordinal)
    {
        ["cl100k_base"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ["o200k_base"] = @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    };

    /// <summary>The encodings this writer knows.</summary>
    public static IReadOnlyCollection<string> Encodings => SplitPatterns.Keys;

    /// <summary>Ids of the encoding (largest special id + 1) and its &lt;|endoftext|&gt; id.</summary>
    public static (int VocabularySize, int EndOfText) Describe(string encoding)
    {
        var specials = Create(encoding).SpecialTokens!;
        return (specials.Values.Max() + 1, specials["<|endoftext|>"]);
    }

    public static void WriteAll(string folder, string encoding, int modelMaxLength)
    {
        var tiktoken = Create(encoding);
        var vocab = ReadRanks(encoding).Select(r => (Token: Symbols(r.Bytes), r.Rank)).OrderBy(t => t.Rank).ToArray();
        var specials = AddedTokens(tiktoken.SpecialTokens!, vocab.Length);
        var ranks = vocab.ToDictionary(t => t.Token, t => t.Rank, StringComparer.Ordinal);
        JsonFileWriter.Write(Path.Combine(folder, "tokenizer.json"), w =>
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            foreach (var (content, id) in specials)
            {
                w.WriteStartObject();
                w.WriteNumber("id", id);
                TokenizerJsonParts.WriteAddedTokenFlags(w, content);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNull("normalizer");
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", SplitPatterns[encoding]);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "ByteLevel");
            w.WriteBoolean("add_prefix_space", false);
            w.WriteBoolean("trim_offsets", true);
            w.WriteBoolean("use_regex", false);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("post_processor");
            w.WriteString("type", "ByteLevel");
            w.WriteBoolean("add_prefix_space", true);
            w.WriteBoolean("trim_offsets", false);
            w.WriteBoolean("use_regex", true);
            w.WriteEndObject();
            w.WriteStartObject("decoder");
            w.WriteString("type", "ByteLevel");
            w.WriteBoolean("add_prefix_space", true);
            w.WriteBoolean("trim_offsets", true);
            w.WriteBoolean("use_regex", true);
            w.WriteEndObject();
            BpeModelJson.WriteStart(w, ignoreMerges: true);
            w.WriteStartObject("vocab");
            foreach (var (token, rank) in vocab) w.WriteNumber(token, rank);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            foreach (var (left, right) in Merges(vocab, ranks)) w.WriteStringValue(left + " " + right);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        var endOfText = tiktoken.SpecialTokens!["<|endoftext|>"];
        JsonFileWriter.Write(Path.Combine(folder, "tokenizer_config.json"), w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("add_bos_token", false);
            w.WriteBoolean("add_eos_token", false);
            w.WriteStartObject("added_tokens_decoder");
            foreach (var (content, id) in specials)
            {
                w.WriteStartObject(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                TokenizerJsonParts.WriteAddedTokenFlags(w, content);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteString("eos_token", "<|endoftext|>");
            w.WriteString("pad_token", "<|endoftext|>");
            w.WriteNull("bos_token");
            w.WriteBoolean("clean_up_tokenization_spaces", false);
            w.WriteNumber("model_max_length", modelMaxLength);
            w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
            w.WriteString("source", $"tiktoken {encoding} (Microsoft.ML.Tokenizers.Data), end of text = {endOfText}");
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The special tokens plus a reserved token for every unused id between the ranks and the last special id:
    /// tokenizer.json loaders (Hugging Face's and ours) give added tokens consecutive ids after the vocabulary, so a gap
    /// (cl100k_base has no id 100256) would shift every special id by one. Llama 3 reserves its unused ids the same way.
    /// </summary>
    private static (string Content, int Id)[] AddedTokens(IReadOnlyDictionary<string, int> specials, int ranks)
    {
        var byId = specials.ToDictionary(kv => kv.Value, kv => kv.Key);
        return Enumerable.Range(ranks, specials.Values.Max() + 1 - ranks)
            .Select(id => (byId.TryGetValue(id, out var content) ? content : $"<|reserved_special_token_{id}|>", id)).ToArray();
    }

    /// <summary>Every split of each token into two tokens, ordered by the merged token's rank, then by the parts' ranks.</summary>
    private static IEnumerable<(string Left, string Right)> Merges((string Token, int Rank)[] vocab, Dictionary<string, int> ranks)
    {
        var local = new List<(string Left, string Right, int A, int B)>();
        foreach (var (token, _) in vocab)
        {
            if (token.Length < 2) continue;
            local.Clear();
            for (int i = 1; i < token.Length; i++)
            {
                var left = token[..i];
                var right = token[i..];
                if (ranks.TryGetValue(left, out var a) && ranks.TryGetValue(right, out var b)) local.Add((left, right, a, b));
            }
            foreach (var m in local.OrderBy(m => m.A).ThenBy(m => m.B)) yield return (m.Left, m.Right);
        }
    }

    /// <summary>
    /// The encoding's mergeable ranks from the Microsoft.ML.Tokenizers.Data package's embedded file (deflated: a
    /// "Capacity: N" header, then one base64 token per line whose rank is its line number unless the line gives one
    /// after a space, as .tiktoken files do); Microsoft.ML.Tokenizers keeps its own copy of them internal.
    /// </summary>
    private static IEnumerable<(byte[] Bytes, int Rank)> ReadRanks(string encoding)
    {
        var assemblyName = encoding == "cl100k_base" ? "Microsoft.ML.Tokenizers.Data.Cl100kBase" : "Microsoft.ML.Tokenizers.Data.O200kBase";
        var resource = encoding + ".tiktoken.deflate";
        using var stream = System.Reflection.Assembly.Load(assemblyName).GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assemblyName} has no resource {resource}; reference the {assemblyName} package.");
        using var reader = new StreamReader(new System.IO.Compression.DeflateStream(stream, System.IO.Compression.CompressionMode.Decompress), Encoding.UTF8);
        var ranks = new List<(byte[], int)>();
        int next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ');
            int rank = space < 0 ? next : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            ranks.Add((Convert.FromBase64String(space < 0 ? line : line[..space]), rank));
            next = rank + 1;
        }
        return ranks;
    }

    /// <summary>A token's bytes in GPT-2's byte-to-unicode symbols (one char per byte).</summary>
    private static string Symbols(byte[] bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes) sb.Append(ByteLevelVocabulary.ByteToSymbol(b));
        return sb.ToString();
    }

    private static TiktokenTokenizer Create(string encoding) => SplitPatterns.ContainsKey(encoding)
        ? TiktokenTokenizer.CreateForEncoding(encoding)
        : throw new ArgumentException($"'{encoding}' is not a tiktoken encoding this builder converts; use one of: {string.Join(", ", SplitPatterns.Keys)}.", nameof(encoding));
}
