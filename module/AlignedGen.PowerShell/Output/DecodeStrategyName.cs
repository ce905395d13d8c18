namespace AlignedGen.PowerShell.Output;

/// <summary>The decoding strategies Invoke-RewardGuidedDecode offers.</summary>
public enum DecodeStrategyName
{
    /// <summary>ARGS reward-guided decoding (greedy over the top-k, or sampled with -Stochastic). Needs a reward.</summary>
    Args,

    /// <summary>Best-of-N: N sampled responses, the highest-reward one kept. Needs a reward.</summary>
    BestOfN,

    /// <summary>Greedy decoding (the most likely token each step). No reward.</summary>
    Greedy,

    /// <summary>Temperature / top-k / top-p sampling. No reward.</summary>
    Sample,
}
