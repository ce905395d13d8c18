namespace AlignedGen.ModelBuilding;

/// <summary>
/// How the constructed models split the residual stream into disjoint bands, which is what makes their outputs known
/// by construction: [0, V) token one-hot (written only by the token embedding); then sinusoidal position features
/// (only the position embedding writes them); then an optional reward slot (only the reward-mean head writes it);
/// then scratch dimensions, the only ones attention and MLP outputs write.
/// </summary>
internal sealed record ResidualLayout(int Vocabulary, int PositionFeatures, bool HasRewardSlot, int ScratchDims)
{
    public static ResidualLayout For(int vocabulary, TinyTransformerArchitecture architecture, bool hasRewardSlot) =>
        new(vocabulary, architecture.PositionFeatures, hasRewardSlot, architecture.ScratchDims);

    public int PositionStart => Vocabulary;
    public int RewardSlot => HasRewardSlot ? Vocabulary + PositionFeatures : -1;
    public int ScratchStart => Vocabulary + PositionFeatures + (HasRewardSlot ? 1 : 0);
    public int Hidden => ScratchStart + ScratchDims;

    /// <summary>Mean square of an embedding row (one-hot 1 plus F/2 sin/cos pairs of norm 1) over the hidden size.</summary>
    public double EmbeddingMeanSquare => (1.0 + PositionFeatures / 2.0) / Hidden;
}
