namespace AlignedGen.Tokenization.Pipeline;

/// <summary>
/// Hugging Face's WordPiece model: greedy longest-match-first with a continuing-subword prefix; a word longer than
/// <c>max_input_chars_per_word</c> scalars, or one that cannot be covered, becomes the unk token. Own implementation so
/// that tokenizer.json and vocab.txt folders share one exact code path with the HF-style added-token handling.
/// </summary>
internal sealed class WordPieceModel : ITokenModel
{
    private readonly Dictionary<string, int> vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocabBySpan;
    private readonly string?[] idToToken;
    private readonly int unkId;
    private readonly string prefix;
    private readonly int maxInputCharsPerWord;

    public WordPieceModel(Dictionary<string, int> vocab, string unkToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        this.vocab = vocab;
        vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        idToToken = new string?[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) idToToken[id] = token;
        if (!vocab.TryGetValue(unkToken, out unkId))
            throw new FormatException($"the WordPiece unk_token '{unkToken}' is not in the vocabulary");
        UnknownToken = unkToken;
        prefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    public int VocabularySize => idToToken.Length;

    public string? UnknownToken { get; }

    public string? IdToToken(int id) => (uint)id < (uint)idToToken.Length ? idToToken[id] : null;

    public int? TokenToId(string token) => vocab.TryGetValue(token, out var id) ? id : null;

    public void Tokenize(string word, List<int> ids)
    {
        if (word.Length == 0) return;
        var scalars = 0;
        foreach (var _ in word.EnumerateRunes()) scalars++;
        if (scalars > maxInputCharsPerWord)
        {
            ids.Add(unkId);
            return;
        }
        var firstAdded = ids.Count;
        var start = 0;
        var bufferLength = prefix.Length + word.Length;
        Span<char> buffer = bufferLength <= 512 ? stackalloc char[bufferLength] : new char[bufferLength];
        prefix.AsSpan().CopyTo(buffer);
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (start < end)
            {
                scoped ReadOnlySpan<char> candidate;
                if (start == 0) candidate = word.AsSpan(0, end);
                else
                {
                    word.AsSpan(start, end - start).CopyTo(buffer[prefix.Length..]);
                    candidate = buffer[..(prefix.Length + end - start)];
                }
                if (vocabBySpan.TryGetValue(candidate, out var id)) { found = id; break; }
                end -= end >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
            }
            if (found < 0)
            {
                ids.RemoveRange(firstAdded, ids.Count - firstAdded);
                ids.Add(unkId);
                return;
            }
            ids.Add(found);
            start = end;
        }
    }
}
