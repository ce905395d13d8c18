namespace AlignedGen.Tokenization;

/// <summary>Special token ids read from a model folder. Any may be absent.</summary>
public sealed record SpecialTokenIds(int? Bos, IReadOnlyList<int> Eos, int? Pad, int? Unk)
{
    public static SpecialTokenIds None { get; } = new(null, Array.Empty<int>(), null, null);
}
