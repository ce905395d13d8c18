using System.Text.Json;
using AlignedGen.Tokenization.Pipeline;
using Microsoft.ML.Tokenizers;

namespace AlignedGen.Tokenization;

/// <summary>
/// Loads tokenizers from model folders and files: Hugging Face tokenizer.json (byte-level BPE, SentencePiece-style BPE
/// with byte fallback, WordPiece), SentencePiece tokenizer.model, BERT vocab.txt, and tiktoken encodings by name.
/// Unusable folders and files raise <see cref="ModelFolderException"/> naming the path, the problem and the fix.
/// </summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer a model folder carries, preferring tokenizer.json, then tokenizer.model (SentencePiece), then
    /// vocab.txt (BERT); special token ids come from tokenizer_config.json, special_tokens_map.json, config.json and
    /// generation_config.json (EOS lists every stop id, e.g. [2, 1] for stories260K).
    /// </summary>
    public static TextTokenizer FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, "the folder does not exist.",
                "pass the path of a model folder that holds tokenizer.json, tokenizer.model or vocab.txt.");
        var json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json)) return FromTokenizerJson(json);
        var model = Path.Combine(folder, "tokenizer.model");
        if (!File.Exists(model))
        {
            var candidates = Directory.GetFiles(folder, "*.model");
            if (candidates.Length == 1) model = candidates[0];
        }
        if (File.Exists(model))
        {
            return FromSentencePieceModel(model,
                SpecialTokenConfigReader.Flag(folder, "add_bos_token", true),
                SpecialTokenConfigReader.Flag(folder, "add_eos_token", false));
        }
        var vocab = Path.Combine(folder, "vocab.txt");
        if (File.Exists(vocab)) return FromBertVocab(vocab, SpecialTokenConfigReader.Flag(folder, "do_lower_case", true));
        throw new ModelFolderException(folder, "the folder has no tokenizer.json, tokenizer.model or vocab.txt.",
            "copy the tokenizer files of the model (from its original repository) into the folder.");
    }

    /// <summary>
    /// Loads a Hugging Face tokenizer.json. Special token ids are <paramref name="specialTokens"/> when given, else read
    /// from the config files beside the file, else derived from the tokenizer itself (BOS of its template, its unk token).
    /// </summary>
    public static TextTokenizer FromTokenizerJson(string path, SpecialTokenIds? specialTokens = null)
    {
        RequireFile(path, "a Hugging Face tokenizer.json");
        TextTokenizer tokenizer;
        try
        {
            tokenizer = TokenizerJsonReader.Read(path);
        }
        catch (JsonException e)
        {
            throw new ModelFolderException(path, $"the file is not valid JSON ({e.Message}).",
                "restore tokenizer.json from the model's original repository.", e);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ModelFolderException(path, $"the file is not a usable tokenizer.json: {e.Message}.",
                "restore tokenizer.json from the model's original repository.", e);
        }
        catch (NotSupportedException e)
        {
            throw new ModelFolderException(path, $"the tokenizer uses something AlignedGen does not implement: {e.Message}.",
                "use a model whose tokenizer is BPE (byte-level or byte fallback) or WordPiece, or pass tokenizer.model / vocab.txt.", e);
        }
        tokenizer.SpecialTokens = specialTokens
            ?? SpecialTokenConfigReader.Read(Path.GetDirectoryName(Path.GetFullPath(path))!, tokenizer);
        return tokenizer;
    }

    /// <summary>
    /// Loads a SentencePiece model (tokenizer.model). BPE models are converted as Hugging Face does for Llama (same ids as
    /// the matching tokenizer.json); Unigram models run on Microsoft.ML.Tokenizers' SentencePieceTokenizer. Control
    /// pieces (&lt;s&gt;, &lt;/s&gt;, &lt;unk&gt;) are split out of the text; BOS / EOS are added per the flags.
    /// </summary>
    public static TextTokenizer FromSentencePieceModel(string path, bool addBeginningOfSentence = true,
        bool addEndOfSentence = false, SpecialTokenIds? specialTokens = null)
    {
        RequireFile(path, "a SentencePiece tokenizer.model");
        TextTokenizer tokenizer;
        try
        {
            tokenizer = SentencePieceBuilder.Build(path, File.ReadAllBytes(path), addBeginningOfSentence, addEndOfSentence);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or InvalidOperationException
                                      or OverflowException or IndexOutOfRangeException)
        {
            throw new ModelFolderException(path, $"the file is not a usable SentencePiece model: {e.Message}.",
                "pass the model's original tokenizer.model (a SentencePiece BPE or Unigram protobuf), or its tokenizer.json.", e);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        tokenizer.SpecialTokens = specialTokens ?? SpecialTokenConfigReader.Read(folder, tokenizer);
        return tokenizer;
    }

    /// <summary>
    /// Loads a BERT WordPiece vocab.txt (one token per line, id = line number) with BERT's normalizer (optionally lower-casing
    /// and stripping accents), pre-tokenizer, <c>[CLS] A [SEP] (B [SEP])</c> template and WordPiece decoder.
    /// </summary>
    public static TextTokenizer FromBertVocab(string path, bool lowerCase = true, SpecialTokenIds? specialTokens = null)
    {
        RequireFile(path, "a BERT vocab.txt");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var token = lines[i].TrimEnd('\r');
            if (token.Length > 0) vocab.TryAdd(token, i);
        }
        string[] required = ["[UNK]", "[CLS]", "[SEP]"];
        var missing = required.Where(t => !vocab.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            throw new ModelFolderException(path, $"the vocabulary lacks {string.Join(", ", missing)}, so it is not a BERT vocab.txt.",
                "pass the vocab.txt of a BERT-family model (or its tokenizer.json).");
        var specials = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }
            .Where(vocab.ContainsKey).Select(t => new AddedToken(vocab[t], t, Special: true));
        var tokenizer = new TextTokenizer(path, "WordPiece", new AddedVocabulary(specials, null),
            new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: lowerCase),
            new BertPreTokenizer(), new WordPieceModel(vocab, "[UNK]", "##", 100),
            TemplatePostProcessor.Bert(vocab["[CLS]"], vocab["[SEP]"]), new WordPieceDecoder("##", cleanup: true));
        tokenizer.SpecialTokens = specialTokens
            ?? SpecialTokenConfigReader.Read(Path.GetDirectoryName(Path.GetFullPath(path))!, tokenizer);
        return tokenizer;
    }

    /// <summary>
    /// A tiktoken encoding by name ("gpt2", "r50k_base", "cl100k_base", "o200k_base") or by OpenAI model name
    /// (e.g. "gpt-4o", "gpt-4", "gpt-3.5-turbo"), from Microsoft.ML.Tokenizers' bundled data.
    /// </summary>
    public static ITextTokenizer FromTiktoken(string encodingName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encodingName);
        try
        {
            // Microsoft.ML.Tokenizers knows "gpt2" only as a model name, the *_base names only as encodings.
            var inner = encodingName.EndsWith("_base", StringComparison.Ordinal) || encodingName == "p50k_edit"
                ? TiktokenTokenizer.CreateForEncoding(encodingName)
                : TiktokenTokenizer.CreateForModel(encodingName);
            return new TiktokenTextTokenizer(inner, encodingName);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException(
                $"'{encodingName}' is not a tiktoken encoding or model Microsoft.ML.Tokenizers knows ({e.Message}). " +
                "Pass \"gpt2\", \"r50k_base\", \"cl100k_base\", \"o200k_base\" or a model name such as \"gpt-4o\".",
                nameof(encodingName), e);
        }
    }

    private static void RequireFile(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ModelFolderException(path, $"expected {what} file but this is a folder.",
                "pass the file path, or use TokenizerLoader.FromFolder for a folder.");
        if (!File.Exists(path))
            throw new ModelFolderException(path, "the file does not exist.", $"pass the path of {what} file.");
    }
}
