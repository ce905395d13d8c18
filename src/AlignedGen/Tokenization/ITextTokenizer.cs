namespace AlignedGen.Tokenization;

/// <summary>
/// A tokenizer as AlignedGen uses it: text to ids and back, with the model's special tokens.
/// Implementations wrap Microsoft.ML.Tokenizers models loaded from a model folder (see <see cref="TokenizerLoader"/>).
/// Encoded ids equal Hugging Face <c>tokenizers</c>' for the same files.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids the tokenizer can produce (base vocabulary plus added tokens).</summary>
    int VocabularySize { get; }

    /// <summary>BOS / EOS / PAD / UNK ids as the folder's config files declare them.</summary>
    SpecialTokenIds SpecialTokens { get; }

    /// <summary>Encodes text. With <paramref name="addSpecialTokens"/> the tokenizer's post-processor runs (e.g. BOS for Llama, [CLS]/[SEP] for BERT).</summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true);

    /// <summary>Decodes ids to text; special tokens are dropped when <paramref name="skipSpecialTokens"/> is true.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);

    /// <summary>The token string of an id, or null when the id is outside the vocabulary.</summary>
    string? IdToToken(int id);

    /// <summary>The id of a token string (vocabulary or added token), or null.</summary>
    int? TokenToId(string token);
}
