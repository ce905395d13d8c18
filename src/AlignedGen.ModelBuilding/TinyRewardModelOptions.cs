using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// What <see cref="TinyRewardModelBuilder"/> builds: a reward model whose reward is known by construction from a
/// per-token value table and a <see cref="RewardRule"/> (see <see cref="ExpectedReward"/>). Its other attention heads
/// and MLPs carry seeded random weights that write only scratch dimensions, so they run but never change the reward.
/// </summary>
public sealed class TinyRewardModelOptions
{
    /// <summary>Creates options from one value per token id (the vocabulary size is its length).</summary>
    public TinyRewardModelOptions(float[] tokenValues, RewardRule rule)
    {
        ArgumentNullException.ThrowIfNull(tokenValues);
        if (tokenValues.Length < 2)
            throw new ArgumentException($"tokenValues has {tokenValues.Length} entries; give one value per token id (vocab >= 2).", nameof(tokenValues));
        var bad = Array.FindIndex(tokenValues, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException($"tokenValues[{bad}] = {tokenValues[bad]}; values must be finite.", nameof(tokenValues));
        if (!Enum.IsDefined(rule))
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Use RewardRule.LastTokenValue or RewardRule.PrefixMeanValue.");
        TokenValues = (float[])tokenValues.Clone();
        Rule = rule;
    }

    /// <summary>value[t] for every token id t.</summary>
    public IReadOnlyList<float> TokenValues { get; }

    /// <summary>How values become a reward.</summary>
    public RewardRule Rule { get; }

    /// <summary>Vocabulary size (length of the value table).</summary>
    public int VocabularySize => TokenValues.Count;

    /// <summary>Layer/head sizes and the PRNG seed.</summary>
    public TinyTransformerArchitecture Architecture { get; init => field = value ?? throw new ArgumentNullException(nameof(Architecture)); } = new();

    /// <summary>Cached layout only: true (default) declares position_ids; false derives positions from the mask. The seqcls layout always derives them.</summary>
    public bool IncludePositionIds { get; init; } = true;

    /// <summary>Writes large initializers to model.onnx.data beside model.onnx.</summary>
    public bool ExternalData { get; init; }

    /// <summary>Special ids for config files; null uses the byte-level ones when vocab = 259, else none.</summary>
    public SpecialTokenIds? SpecialTokens { get; init => field = SpecialTokensResolver.Check(value, VocabularySize, nameof(SpecialTokens)); }

    /// <summary>The special ids the folder's config files will declare.</summary>
    public SpecialTokenIds ResolvedSpecialTokens => SpecialTokensResolver.Resolve(SpecialTokens, VocabularySize);

    /// <summary>The reward of a whole sequence of (unpadded) ids by construction: the oracle the built models reproduce.</summary>
    public double ExpectedReward(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) throw new ArgumentException("A reward needs at least one token.", nameof(ids));
        foreach (var id in ids)
        {
            if (id < 0 || id >= VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token ids must be in 0..{VocabularySize - 1}.");
        }
        return Rule == RewardRule.LastTokenValue ? TokenValues[ids[^1]] : ids.Average(id => (double)TokenValues[id]);
    }
}
