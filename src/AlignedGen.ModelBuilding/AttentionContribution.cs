namespace AlignedGen.ModelBuilding;

/// <summary>Whether a decoder's attention and MLP outputs reach its logits.</summary>
public enum AttentionContribution
{
    /// <summary>Attention and MLP run (the KV cache is real) but their output projections are zero: logits = bigram table row of the last token, exactly.</summary>
    Silent,

    /// <summary>Seeded random attention/MLP outputs write scratch dimensions that the LM head reads: logits depend on the whole prefix and on positions.</summary>
    Random,
}
