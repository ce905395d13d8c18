using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>Defaults and checks the special ids a built folder declares.</summary>
internal static class SpecialTokensResolver
{
    /// <summary>The requested ids, or the byte-level ones when vocab = 259, or none.</summary>
    public static SpecialTokenIds Resolve(SpecialTokenIds? requested, int vocabulary) =>
        requested ?? (vocabulary == ByteLevelVocabulary.Size ? ByteLevelVocabulary.SpecialTokens : SpecialTokenIds.None);

    /// <summary>Throws when an id is outside the vocabulary; returns the ids unchanged.</summary>
    public static SpecialTokenIds? Check(SpecialTokenIds? requested, int vocabulary, string paramName)
    {
        if (requested is null) return null;
        foreach (var id in new[] { requested.Bos, requested.Pad, requested.Unk }.OfType<int>().Concat(requested.Eos))
        {
            if (id < 0 || id >= vocabulary)
                throw new ArgumentOutOfRangeException(paramName, id, $"Special token id {id} is outside the vocabulary 0..{vocabulary - 1}.");
        }
        return requested;
    }
}
