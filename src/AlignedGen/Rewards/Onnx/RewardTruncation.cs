namespace AlignedGen.Rewards;

/// <summary>Which tokens are dropped when an input is longer than the reward model's maximum length.</summary>
public enum RewardTruncation
{
    /// <summary>Drop tokens from the start (the prompt's beginning first), keeping the end of the response. Special tokens (BOS, [CLS], [SEP]) are kept.</summary>
    Left,

    /// <summary>Drop tokens from the end (the response's end first). Special tokens are kept.</summary>
    Right,

    /// <summary>Pair formats: Hugging Face <c>longest_first</c> (shorten the longer segment, from its end). Single-sequence formats: as <see cref="Right"/>.</summary>
    LongestFirst,
}
