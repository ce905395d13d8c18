using Microsoft.ML.Tokenizers;

namespace AlignedGen.Tokenization;

/// <summary>
/// An OpenAI tiktoken encoding (Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/>) as an <see cref="ITextTokenizer"/>.
/// Special-token text in the input (e.g. "&lt;|endoftext|&gt;") encodes to the special id; no BOS/EOS are added.
/// </summary>
internal sealed class TiktokenTextTokenizer : ITextTokenizer
{
    private readonly TiktokenTokenizer inner;
    private readonly HashSet<int> specialIds;
    private readonly Dictionary<int, string> specialById;

    internal TiktokenTextTokenizer(TiktokenTokenizer inner, string name)
    {
        this.inner = inner;
        Name = name;
        var specials = inner.SpecialTokens ?? new Dictionary<string, int>();
        specialIds = [.. specials.Values];
        specialById = specials.ToDictionary(kv => kv.Value, kv => kv.Key);
        VocabularySize = specials.Count == 0 ? 0 : specials.Values.Max() + 1;
        var eos = specials.TryGetValue("<|endoftext|>", out var e) ? new[] { e } : Array.Empty<int>();
        SpecialTokens = new SpecialTokenIds(null, eos, null, null);
    }

    /// <summary>The encoding or model name it was created for.</summary>
    public string Name { get; }

    /// <summary>Largest id plus one (every tiktoken encoding puts its special tokens last).</summary>
    public int VocabularySize { get; }

    /// <inheritdoc />
    public SpecialTokenIds SpecialTokens { get; }

    /// <summary>Encodes text; <paramref name="addSpecialTokens"/> has no effect (tiktoken adds none).</summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return inner.EncodeToIds(text);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return inner.Decode(skipSpecialTokens ? ids.Where(id => !specialIds.Contains(id)) : ids);
    }

    /// <summary>The special token's name, or the token's bytes decoded as UTF-8 (U+FFFD for a partial character).</summary>
    public string? IdToToken(int id)
    {
        if (specialById.TryGetValue(id, out var special)) return special;
        if (id < 0 || id >= VocabularySize) return null;
        return inner.Decode([id]);
    }

    /// <inheritdoc />
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (inner.SpecialTokens is { } s && s.TryGetValue(token, out var special)) return special;
        var ids = inner.EncodeToIds(token);
        return ids.Count == 1 ? ids[0] : null;
    }
}
