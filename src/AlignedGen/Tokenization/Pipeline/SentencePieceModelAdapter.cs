using Microsoft.ML.Tokenizers;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>
/// The model step for a SentencePiece <c>tokenizer.model</c>, run by Microsoft.ML.Tokenizers'
/// <see cref="SentencePieceTokenizer"/> (its own dummy-prefix / whitespace normalization included). The surrounding
/// pipeline splits control tokens (&lt;s&gt;, &lt;/s&gt;, &lt;unk&gt;) out of the text first, as Hugging Face's converted
/// Llama tokenizers do, so both paths give the same ids.
/// </summary>
internal sealed class SentencePieceModelAdapter : ITokenModel
{
    private readonly SentencePieceTokenizer inner;
    private readonly Dictionary<string, int> vocab;
    private readonly string?[] idToToken;

    public SentencePieceModelAdapter(SentencePieceTokenizer inner)
    {
        this.inner = inner;
        vocab = new Dictionary<string, int>(inner.Vocabulary, StringComparer.Ordinal);
        idToToken = new string?[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) idToToken[id] = token;
    }

    public SentencePieceTokenizer Inner => inner;

    public int VocabularySize => idToToken.Length;

    public string? UnknownToken => inner.UnknownToken;

    public string? IdToToken(int id) => (uint)id < (uint)idToToken.Length ? idToToken[id] : null;

    public int? TokenToId(string token) => vocab.TryGetValue(token, out var id) ? id : null;

    public void Tokenize(string piece, List<int> ids)
    {
        if (piece.Length == 0) return;
        ids.AddRange(inner.EncodeToIds(piece, addBeginningOfSentence: false, addEndOfSentence: false,
            considerPreTokenization: false, considerNormalization: true));
    }
}
