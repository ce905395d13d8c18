using AlignedGen.Tokenization;

namespace AlignedGen.Tests;

/// <summary>A test tokenizer whose text is the ids themselves ("12 7 9"): lets model tests run on exact ids without a vocabulary.</summary>
internal sealed class IdTokenizer : ITextTokenizer
{
    public IdTokenizer(int vocabularySize, int? bos = 1, params int[] eos)
    {
        VocabularySize = vocabularySize;
        SpecialTokens = new SpecialTokenIds(bos, eos, 0, null);
    }

    public int VocabularySize { get; }
    public SpecialTokenIds SpecialTokens { get; }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        var ids = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        if (addSpecialTokens && SpecialTokens.Bos is int b) ids.Insert(0, b);
        return ids;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
        => string.Join(" ", ids.Where(i => !skipSpecialTokens || (i != SpecialTokens.Bos && !SpecialTokens.Eos.Contains(i))));

    public string? IdToToken(int id) => id.ToString();
    public int? TokenToId(string token) => int.TryParse(token, out var i) ? i : null;
}
