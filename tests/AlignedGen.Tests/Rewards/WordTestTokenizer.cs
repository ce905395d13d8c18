using AlignedGen.Tokenization;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// A test double: splits on spaces and maps each word to a fixed id (words "w5" → 5; other words from a table),
/// BOS = 1, [CLS] = 101, [SEP] = 102. Lets format and truncation tests predict the exact ids.
/// </summary>
internal sealed class WordTestTokenizer : ITextTokenizer
{
    private readonly Dictionary<string, int> _ids = new() { ["<s>"] = 1 };

    public WordTestTokenizer(bool withBos = true, bool withBertTokens = true)
    {
        SpecialTokens = new SpecialTokenIds(withBos ? 1 : null, new[] { 2 }, 0, null);
        if (withBertTokens)
        {
            _ids["[CLS]"] = 101;
            _ids["[SEP]"] = 102;
        }
    }

    public int VocabularySize => 1000;

    public SpecialTokenIds SpecialTokens { get; }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        var ids = new List<int>();
        if (addSpecialTokens && SpecialTokens.Bos is { } bos) ids.Add(bos);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            ids.Add(Id(word));
        return ids;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
        string.Join(' ', ids.Select(i => IdToToken(i) ?? "?"));

    public string? IdToToken(int id) => _ids.FirstOrDefault(kv => kv.Value == id).Key ?? $"w{id}";

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    private int Id(string word)
    {
        if (word.Length > 1 && word[0] == 'w' && int.TryParse(word.AsSpan(1), out var n)) return n;
        if (!_ids.TryGetValue(word, out var id))
        {
            id = 500 + _ids.Count;
            _ids[word] = id;
        }
        return id;
    }
}
