namespace AlignedGen.Tokenization;

/// <summary>Decides whether two tokenizers map ids to the same tokens, so token ids can pass between models unchanged.</summary>
public static class TokenizerComparer
{
    /// <summary>True when both have the same vocabulary size and every id maps to the same token string.</summary>
    public static bool SameVocabulary(ITextTokenizer a, ITextTokenizer b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.VocabularySize != b.VocabularySize) return false;
        for (int i = 0; i < a.VocabularySize; i++)
            if (!string.Equals(a.IdToToken(i), b.IdToToken(i), StringComparison.Ordinal)) return false;
        return true;
    }
}
