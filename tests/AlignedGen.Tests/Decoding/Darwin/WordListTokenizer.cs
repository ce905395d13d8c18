using AlignedGen.Tokenization;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// A test tokenizer over a fixed word list: text splits on whitespace, each word is its id (or &lt;unk&gt; = 0);
/// ids decode to their display form ("\n1." for a list marker, " cat" for a word). Ids 0, 1, 2 are &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;.
/// Lets a bigram model from the builder write an exact, parseable numbered list.
/// </summary>
internal sealed class WordListTokenizer : ITextTokenizer
{
    private readonly string[] _display;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <param name="display">Display form of ids 3, 4, ...; the word an id is encoded from is its display form trimmed.</param>
    public WordListTokenizer(params string[] display)
    {
        _display = new[] { "<unk>", "<s>", "</s>" }.Concat(display).ToArray();
        for (int i = 3; i < _display.Length; i++) _ids[_display[i].Trim()] = i;
        SpecialTokens = new SpecialTokenIds(1, new[] { 2 }, 0, 0);
    }

    public int VocabularySize => _display.Length;
    public SpecialTokenIds SpecialTokens { get; }

    public int Id(string word) => _ids[word];

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        var ids = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => _ids.TryGetValue(w, out var id) ? id : 0).ToList();
        if (addSpecialTokens) ids.Insert(0, 1);
        return ids;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
        => string.Concat(ids.Where(i => !skipSpecialTokens || i > 2).Select(i => _display[i]));

    public string? IdToToken(int id) => id >= 0 && id < _display.Length ? _display[id] : null;
    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;
}
