using System.Runtime.InteropServices;
using AlignedGen.Tokenization.Pipeline;

namespace AlignedGen.Tokenization;

/// <summary>
/// A Hugging Face style tokenizer pipeline — added tokens, normalizer, pre-tokenizer, model (BPE, WordPiece or
/// SentencePiece), post-processor and decoder — loaded by <see cref="TokenizerLoader"/> from tokenizer.json,
/// tokenizer.model or vocab.txt. Ids equal Hugging Face <c>tokenizers</c>' for the same files. Thread-safe.
/// </summary>
public sealed class TextTokenizer : ITextTokenizer
{
    private readonly AddedVocabulary added;
    private readonly ITextNormalizer? normalizer;
    private readonly IPreTokenizer? preTokenizer;
    private readonly ITokenModel model;
    private readonly IPostProcessor postProcessor;
    private readonly ITokenDecoder? decoder;
    private readonly string?[] tokenById;
    private readonly bool[] specialById;
    private readonly byte[]?[]? bytesById;

    internal TextTokenizer(string source, string kind, AddedVocabulary added, ITextNormalizer? normalizer,
        IPreTokenizer? preTokenizer, ITokenModel model, IPostProcessor? postProcessor, ITokenDecoder? decoder)
    {
        Source = source;
        Kind = kind;
        this.added = added;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor ?? new PassThroughPostProcessor();
        this.decoder = decoder;
        VocabularySize = Math.Max(model.VocabularySize, added.MaxId + 1);
        tokenById = new string?[VocabularySize];
        specialById = new bool[VocabularySize];
        for (var id = 0; id < model.VocabularySize; id++) tokenById[id] = model.IdToToken(id);
        foreach (var t in added.Tokens)
        {
            tokenById[t.Id] = added.TokenString(t);
            specialById[t.Id] = t.Special;
        }
        SpecialTokens = SpecialTokenIds.None;
        if (decoder is ByteLevelDecoder)
        {
            // Fast path for the plain ByteLevel decoder (GPT-2, Llama 3, Qwen): each id's bytes, concatenated, then UTF-8.
            bytesById = new byte[]?[VocabularySize];
            for (var id = 0; id < VocabularySize; id++)
                if (tokenById[id] is { } token) bytesById[id] = ByteLevelDecoder.TokenBytes(token);
        }
    }

    /// <summary>The file the tokenizer was loaded from.</summary>
    public string Source { get; }

    /// <summary>What kind of model it runs, e.g. "BPE (byte-level)", "BPE (byte fallback)", "WordPiece", "SentencePiece BPE".</summary>
    public string Kind { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public SpecialTokenIds SpecialTokens { get; internal set; }

    /// <summary>How many special tokens the post-processor adds to a single sequence (1 for Llama's BOS, 2 for BERT's [CLS]/[SEP]).</summary>
    public int AddedSpecialTokenCount => postProcessor.AddedTokenCount(pair: false);

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        EncodeSequence(text, ids);
        if (!addSpecialTokens) return ids;
        var result = new List<int>(ids.Count + 4);
        postProcessor.Process(ids, null, result, new List<int>(ids.Count + 4));
        return result;
    }

    /// <summary>
    /// Encodes two texts with the pair template (BERT: <c>[CLS] first [SEP] second [SEP]</c>, type ids 0 then 1),
    /// truncating longest-first (as HF's <c>TruncationStrategy::LongestFirst</c>, from the right) so that the result,
    /// special tokens included, has at most <paramref name="maxLength"/> ids.
    /// </summary>
    public PairEncoding EncodePair(string first, string second, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var addedCount = postProcessor.AddedTokenCount(pair: true);
        if (maxLength <= addedCount)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength,
                $"maxLength must exceed the {addedCount} special tokens of the pair template; pass at least {addedCount + 1}.");
        var a = new List<int>();
        var b = new List<int>();
        EncodeSequence(first, a);
        EncodeSequence(second, b);
        TruncateLongestFirst(a, b, maxLength - addedCount);
        var ids = new List<int>(a.Count + b.Count + addedCount);
        var types = new List<int>(ids.Capacity);
        postProcessor.Process(a, b, ids, types);
        return new PairEncoding(ids, types);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (bytesById is not null) return DecodeByteLevel(ids, skipSpecialTokens);
        var tokens = new List<string>(ids is ICollection<int> c ? c.Count : 16);
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)tokenById.Length) continue;
            var token = tokenById[id];
            if (token is null || (skipSpecialTokens && specialById[id])) continue;
            tokens.Add(token);
        }
        if (decoder is null) return string.Join(' ', tokens);
        decoder.Decode(tokens);
        return tokens.Count == 1 ? tokens[0] : string.Concat(tokens);
    }

    private string DecodeByteLevel(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256);
        var length = 0;
        try
        {
            foreach (var id in ids)
            {
                if ((uint)id >= (uint)bytesById!.Length || bytesById[id] is not { } bytes || (skipSpecialTokens && specialById[id])) continue;
                if (length + bytes.Length > buffer.Length)
                {
                    var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + bytes.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                bytes.CopyTo(buffer, length);
                length += bytes.Length;
            }
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public string? IdToToken(int id) => (uint)id < (uint)tokenById.Length ? tokenById[id] : null;

    /// <inheritdoc />
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return added.ByContent(token)?.Id ?? model.TokenToId(token);
    }

    /// <summary>True when the id is an added token marked special (dropped by <see cref="Decode"/> with skipSpecialTokens).</summary>
    public bool IsSpecialToken(int id) => (uint)id < (uint)specialById.Length && specialById[id];

    internal string? UnknownToken => model.UnknownToken;

    /// <summary>The end-of-sequence id the model file itself declares (SentencePiece's eos_id), used when no config names one.</summary>
    internal int? ModelEosId { get; init; }

    internal IPostProcessor PostProcessor => postProcessor;

    private void EncodeSequence(string text, List<int> ids)
    {
        var segments = new List<TextSegment>();
        added.SplitRaw(text, segments);
        List<TextSegment>? inner = added.HasNormalizedTokens ? new() : null;
        foreach (var segment in segments)
        {
            if (segment.Id is int id) { ids.Add(id); continue; }
            var normalized = normalizer?.Normalize(segment.Text) ?? segment.Text;
            if (inner is null) { RunModel(normalized, segment.AtStart, ids); continue; }
            inner.Clear();
            added.SplitNormalized(normalized, segment.AtStart, inner);
            foreach (var part in inner)
            {
                if (part.Id is int innerId) ids.Add(innerId);
                else RunModel(part.Text, part.AtStart, ids);
            }
        }
    }

    private void RunModel(string text, bool atStart, List<int> ids)
    {
        if (text.Length == 0) return;
        if (preTokenizer is null) { model.Tokenize(text, ids); return; }
        var pieces = new List<PreToken>();
        preTokenizer.Split(new PreToken(text, atStart), pieces);
        foreach (var piece in CollectionsMarshal.AsSpan(pieces)) model.Tokenize(piece.Text, ids);
    }

    /// <summary>HF's LongestFirst pair truncation: the shorter keeps its length when it can, else both get about half.</summary>
    internal static void TruncateLongestFirst(List<int> a, List<int> b, int maxLength)
    {
        if (a.Count + b.Count <= maxLength) return;
        int n1 = a.Count, n2 = b.Count;
        var swap = n1 > n2;
        if (swap) (n1, n2) = (n2, n1);
        n2 = n1 > maxLength ? n1 : Math.Max(n1, maxLength - n1);
        if (n1 + n2 > maxLength)
        {
            n1 = maxLength / 2;
            n2 = n1 + maxLength % 2;
        }
        if (swap) (n1, n2) = (n2, n1);
        if (a.Count > n1) a.RemoveRange(n1, a.Count - n1);
        if (b.Count > n2) b.RemoveRange(n2, b.Count - n2);
    }
}
