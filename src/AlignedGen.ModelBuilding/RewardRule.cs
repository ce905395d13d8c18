namespace AlignedGen.ModelBuilding;

/// <summary>How a constructed reward model turns its per-token value table into the reward of a prefix.</summary>
public enum RewardRule
{
    /// <summary>reward(prefix) = value[last token of the prefix]: read from the token band of the residual stream.</summary>
    LastTokenValue,

    /// <summary>reward(prefix) = mean of value[t] over every attended token of the prefix (BOS included): a uniform attention head in layer 0.</summary>
    PrefixMeanValue,
}
