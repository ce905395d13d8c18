using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignedGen.Tokenization.Pipeline;

namespace AlignedGen.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json into a <see cref="TextTokenizer"/>. Throws <see cref="FormatException"/> for
/// malformed content, <see cref="NotSupportedException"/> for components it does not implement, and
/// <see cref="JsonException"/> for invalid JSON; <see cref="TokenizerLoader"/> turns them into ModelFolderException.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TextTokenizer Read(string path) => Read(path, File.ReadAllBytes(path));

    public static TextTokenizer Read(string source, byte[] json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var modelJson))
            throw new FormatException("the file has no \"model\" object, so it is not a Hugging Face tokenizer.json");
        var normalizer = ReadNormalizer(Get(root, "normalizer"));
        var preTokenizer = ReadPreTokenizer(Get(root, "pre_tokenizer"));
        var (model, kind) = ReadModel(modelJson);
        // As HF's AddedVocabulary::add_tokens does on load, an added token takes the id its content already has (earlier
        // added token, then model vocabulary), else the next id after the vocabulary and the added tokens so far; the
        // "id" written in the file is not used (it agrees for files HF wrote).
        var addedTokens = new List<AddedToken>();
        if (Get(root, "added_tokens") is { ValueKind: JsonValueKind.Array } addedJson)
        {
            foreach (var t in addedJson.EnumerateArray())
            {
                var content = t.GetProperty("content").GetString()!;
                var id = addedTokens.FirstOrDefault(a => a.Content == content)?.Id ?? model.TokenToId(content);
                if (id is null)
                {
                    var max = addedTokens.Count == 0 ? (int?)null : addedTokens.Max(a => a.Id);
                    id = max is null ? model.VocabularySize : max >= model.VocabularySize ? max + 1 : model.VocabularySize;
                }
                addedTokens.Add(new AddedToken(id.Value, content,
                    Bool(t, "special", false), Bool(t, "single_word", false), Bool(t, "lstrip", false), Bool(t, "rstrip", false),
                    Bool(t, "normalized", !Bool(t, "special", false))));
            }
        }
        var added = new AddedVocabulary(addedTokens, normalizer);
        int Lookup(string token) => added.ByContent(token)?.Id ?? model.TokenToId(token)
            ?? throw new FormatException($"the post_processor names '{token}', which is neither an added token nor in the vocabulary");
        var postProcessor = ReadPostProcessor(Get(root, "post_processor"), Lookup);
        var decoder = ReadDecoder(Get(root, "decoder"));
        if (kind == "BPE" && (ContainsType(Get(root, "pre_tokenizer"), "ByteLevel") || ContainsType(Get(root, "decoder"), "ByteLevel")))
            kind = "BPE (byte-level)";
        return new TextTokenizer(source, kind, added, normalizer, preTokenizer, model, postProcessor, decoder);
    }

    private static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static bool Bool(JsonElement obj, string name, bool fallback) =>
        Get(obj, name) is { } v && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    private static string? Str(JsonElement obj, string name) => Get(obj, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static int Int(JsonElement obj, string name, int fallback) =>
        Get(obj, name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : fallback;

    private static string TypeOf(JsonElement obj) => Str(obj, "type") ?? throw new FormatException("a component has no \"type\"");

    private static bool ContainsType(JsonElement? obj, string type)
    {
        if (obj is not { } o) return false;
        if (o.ValueKind == JsonValueKind.Array) return o.EnumerateArray().Any(e => ContainsType(e, type));
        if (o.ValueKind != JsonValueKind.Object) return false;
        if (Str(o, "type") == type) return true;
        return o.EnumerateObject().Any(p => p.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object && ContainsType(p.Value, type));
    }

    private static (string? Literal, Regex? Regex) ReadPattern(JsonElement pattern)
    {
        if (Str(pattern, "String") is { } literal) return (literal, null);
        if (Str(pattern, "Regex") is { } regex) return (null, RegexPatterns.Create(regex));
        throw new FormatException("a pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
    }

    private static ITextNormalizer? ReadNormalizer(JsonElement? json)
    {
        if (json is not { } n) return null;
        switch (TypeOf(n))
        {
            case "Sequence":
                return new SequenceNormalizer(n.GetProperty("normalizers").EnumerateArray().Select(e => ReadNormalizer(e)).OfType<ITextNormalizer>().ToList());
            case "Prepend": return new PrependNormalizer(Str(n, "prepend") ?? "");
            case "Replace":
            {
                var (literal, regex) = ReadPattern(n.GetProperty("pattern"));
                return new ReplaceNormalizer(literal, regex, Str(n, "content") ?? "");
            }
            case "NFC": return new UnicodeFormNormalizer(NormalizationForm.FormC);
            case "NFD": return new UnicodeFormNormalizer(NormalizationForm.FormD);
            case "NFKC": return new UnicodeFormNormalizer(NormalizationForm.FormKC);
            case "NFKD": return new UnicodeFormNormalizer(NormalizationForm.FormKD);
            case "Lowercase": return new LowercaseNormalizer();
            case "StripAccents": return new StripAccentsNormalizer();
            case "Strip": return new StripNormalizer(Bool(n, "strip_left", true), Bool(n, "strip_right", true));
            case "BertNormalizer":
                return new BertNormalizer(Bool(n, "clean_text", true), Bool(n, "handle_chinese_chars", true),
                    Get(n, "strip_accents") is { } sa && sa.ValueKind is JsonValueKind.True or JsonValueKind.False ? sa.GetBoolean() : null,
                    Bool(n, "lowercase", true));
            case "Precompiled":
                if (Str(n, "precompiled_charsmap") is { Length: > 0 })
                    throw new NotSupportedException("the Precompiled (SentencePiece charsmap) normalizer is not supported");
                return null;
            case var other: throw new NotSupportedException($"normalizer type '{other}' is not supported");
        }
    }

    private static SplitBehavior ReadBehavior(string? behavior) => behavior switch
    {
        null or "Isolated" => SplitBehavior.Isolated,
        "Removed" => SplitBehavior.Removed,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        _ => throw new FormatException($"unknown split behavior '{behavior}'"),
    };

    private static MetaspacePrependScheme ReadPrependScheme(JsonElement m) => Str(m, "prepend_scheme") switch
    {
        "always" => MetaspacePrependScheme.Always,
        "first" => MetaspacePrependScheme.First,
        "never" => MetaspacePrependScheme.Never,
        null => Bool(m, "add_prefix_space", true) ? MetaspacePrependScheme.Always : MetaspacePrependScheme.Never,
        var other => throw new FormatException($"unknown Metaspace prepend_scheme '{other}'"),
    };

    private static char ReadReplacement(JsonElement m)
    {
        var r = Str(m, "replacement") ?? "\u2581";
        if (r.Length != 1) throw new NotSupportedException($"a Metaspace replacement of {r.Length} UTF-16 chars is not supported");
        return r[0];
    }

    private static IPreTokenizer? ReadPreTokenizer(JsonElement? json)
    {
        if (json is not { } p) return null;
        switch (TypeOf(p))
        {
            case "Sequence":
                return new SequencePreTokenizer(p.GetProperty("pretokenizers").EnumerateArray().Select(e => ReadPreTokenizer(e)).OfType<IPreTokenizer>().ToList());
            case "ByteLevel": return new ByteLevelPreTokenizer(Bool(p, "add_prefix_space", true), Bool(p, "use_regex", true));
            case "Split":
            {
                var (literal, regex) = ReadPattern(p.GetProperty("pattern"));
                return new SplitPreTokenizer(regex ?? RegexPatterns.Literal(literal!), ReadBehavior(Str(p, "behavior")), Bool(p, "invert", false));
            }
            case "Metaspace": return new MetaspacePreTokenizer(ReadReplacement(p), ReadPrependScheme(p), Bool(p, "split", true));
            case "BertPreTokenizer": return new BertPreTokenizer();
            case "Whitespace": return new WhitespacePreTokenizer();
            case "WhitespaceSplit": return new WhitespaceSplitPreTokenizer();
            case "Digits": return new DigitsPreTokenizer(Bool(p, "individual_digits", false));
            case "Punctuation": return new PunctuationPreTokenizer(ReadBehavior(Str(p, "behavior")));
            case var other: throw new NotSupportedException($"pre_tokenizer type '{other}' is not supported");
        }
    }

    private static (ITokenModel Model, string Kind) ReadModel(JsonElement m)
    {
        var type = Str(m, "type")
            ?? (Get(m, "merges") is not null ? "BPE" : Get(m, "max_input_chars_per_word") is not null ? "WordPiece" : "unknown");
        var vocabJson = Get(m, "vocab") ?? throw new FormatException("the model has no \"vocab\"");
        switch (type)
        {
            case "BPE":
            {
                var vocab = ReadVocab(vocabJson);
                var merges = new List<(string, string)>();
                if (Get(m, "merges") is { ValueKind: JsonValueKind.Array } mergesJson)
                {
                    foreach (var merge in mergesJson.EnumerateArray())
                    {
                        if (merge.ValueKind == JsonValueKind.Array)
                        {
                            merges.Add((merge[0].GetString()!, merge[1].GetString()!));
                            continue;
                        }
                        var parts = merge.GetString()!.Split(' ');
                        if (parts.Length != 2) throw new FormatException($"merge '{merge.GetString()}' is not two tokens separated by one space");
                        merges.Add((parts[0], parts[1]));
                    }
                }
                if (Get(m, "dropout") is { ValueKind: JsonValueKind.Number } d && d.GetDouble() > 0)
                    throw new NotSupportedException("BPE dropout is not supported (it makes encoding random)");
                var byteFallback = Bool(m, "byte_fallback", false);
                var model = new BpeModel(vocab, merges, Str(m, "unk_token"), Bool(m, "fuse_unk", false), byteFallback,
                    Bool(m, "ignore_merges", false), Str(m, "continuing_subword_prefix"), Str(m, "end_of_word_suffix"));
                return (model, byteFallback ? "BPE (byte fallback)" : "BPE");
            }
            case "WordPiece":
                return (new WordPieceModel(ReadVocab(vocabJson), Str(m, "unk_token") ?? "[UNK]",
                    Str(m, "continuing_subword_prefix") ?? "##", Int(m, "max_input_chars_per_word", 100)), "WordPiece");
            default:
                throw new NotSupportedException($"model type '{type}' is not supported (supported: BPE, WordPiece)");
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException("the model's \"vocab\" is not an object of token: id");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in json.EnumerateObject()) vocab[p.Name] = p.Value.GetInt32();
        return vocab;
    }

    private static IPostProcessor? ReadPostProcessor(JsonElement? json, Func<string, int> lookup)
    {
        if (json is not { } p) return null;
        switch (TypeOf(p))
        {
            case "TemplateProcessing":
            {
                var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
                if (Get(p, "special_tokens") is { ValueKind: JsonValueKind.Object } st)
                    foreach (var s in st.EnumerateObject())
                        specials[s.Name] = s.Value.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                List<TemplatePiece> Template(string name)
                {
                    var pieces = new List<TemplatePiece>();
                    if (Get(p, name) is not { ValueKind: JsonValueKind.Array } items) return pieces;
                    foreach (var item in items.EnumerateArray())
                    {
                        if (Get(item, "Sequence") is { } seq)
                            pieces.Add(new TemplatePiece(Str(seq, "id") == "B" ? 1 : 0, [], Int(seq, "type_id", 0)));
                        else if (Get(item, "SpecialToken") is { } sp)
                        {
                            var id = Str(sp, "id")!;
                            pieces.Add(new TemplatePiece(-1, specials.TryGetValue(id, out var ids) ? ids : [lookup(id)], Int(sp, "type_id", 0)));
                        }
                        else throw new FormatException($"a TemplateProcessing item is neither Sequence nor SpecialToken: {item}");
                    }
                    return pieces;
                }
                return new TemplatePostProcessor(Template("single"), Template("pair"));
            }
            case "BertProcessing":
                return TemplatePostProcessor.Bert(p.GetProperty("cls")[1].GetInt32(), p.GetProperty("sep")[1].GetInt32());
            case "RobertaProcessing":
                return TemplatePostProcessor.Roberta(p.GetProperty("cls")[1].GetInt32(), p.GetProperty("sep")[1].GetInt32());
            case "ByteLevel": return new PassThroughPostProcessor();
            case "Sequence":
                return PostProcessorSequence.Combine(p.GetProperty("processors").EnumerateArray()
                    .Select(e => ReadPostProcessor(e, lookup)).OfType<IPostProcessor>().ToList());
            case var other: throw new NotSupportedException($"post_processor type '{other}' is not supported");
        }
    }

    private static ITokenDecoder? ReadDecoder(JsonElement? json)
    {
        if (json is not { } d) return null;
        switch (TypeOf(d))
        {
            case "Sequence":
                return new SequenceDecoder(d.GetProperty("decoders").EnumerateArray().Select(e => ReadDecoder(e)).OfType<ITokenDecoder>().ToList());
            case "ByteLevel": return new ByteLevelDecoder();
            case "Replace":
            {
                var (literal, regex) = ReadPattern(d.GetProperty("pattern"));
                return new ReplaceDecoder(new ReplaceNormalizer(literal, regex, Str(d, "content") ?? ""));
            }
            case "ByteFallback": return new ByteFallbackDecoder();
            case "Fuse": return new FuseDecoder();
            case "Strip":
            {
                var content = Str(d, "content") ?? " ";
                if (content.Length != 1) throw new NotSupportedException("a Strip decoder content of more than one char is not supported");
                return new StripDecoder(content[0], Int(d, "start", 0), Int(d, "stop", 0));
            }
            case "Metaspace": return new MetaspaceDecoder(ReadReplacement(d), ReadPrependScheme(d));
            case "WordPiece": return new WordPieceDecoder(Str(d, "prefix") ?? "##", Bool(d, "cleanup", true));
            case "BPEDecoder": return new BpeSuffixDecoder(Str(d, "suffix") ?? "</w>");
            case var other: throw new NotSupportedException($"decoder type '{other}' is not supported");
        }
    }
}
