namespace AlignedGen.Rewards;

/// <summary>One row ready for the reward model: token ids, where token type 1 starts (= length for single-segment rows) and whether it was truncated.</summary>
internal readonly record struct EncodedRewardInput(int[] Ids, int SecondSegmentStart, bool Truncated)
{
    public int Length => Ids.Length;
}
