namespace AlignedGen.Rewards;

/// <summary>
/// One tokenized reward input before truncation: fixed special tokens around one or two truncatable segments.
/// Layout: Prefix + First + Middle + Second + Suffix; token type 0 up to the end of Middle, 1 after.
/// </summary>
internal readonly record struct RewardInputParts(int[] Prefix, int[] First, int[] Middle, int[] Second, int[] Suffix)
{
    public int Length => Prefix.Length + First.Length + Middle.Length + Second.Length + Suffix.Length;

    public int FixedLength => Prefix.Length + Middle.Length + Suffix.Length;

    public static RewardInputParts Single(int[] prefix, int[] text)
        => new(prefix, text, Array.Empty<int>(), Array.Empty<int>(), Array.Empty<int>());
}
