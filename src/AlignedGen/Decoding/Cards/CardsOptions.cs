namespace AlignedGen.Decoding;

/// <summary>
/// CARDS settings (Li et al., "Cascade Reward Sampling", arXiv 2406.16306). Validated on creation; defaults are the
/// authors' code's (<see cref="AlignedGenDefaults"/>): entropy threshold 3.0, α 0.5, β 0.7, top-k 40, segments of 4 to
/// 64 tokens, 20 retries, soft acceptance. The final reward threshold r* is specific to the reward model: give it as
/// <see cref="RewardThreshold"/>, or leave that null and CARDS sets r* = reward(prompt) + <see cref="RewardGain"/> per
/// prompt (see docs/cards.md for how the default gain was chosen).
/// </summary>
public sealed record CardsOptions
{
    public CardsOptions(
        double? rewardThreshold = null,
        double rewardGain = AlignedGenDefaults.CardsRewardGain,
        double entropyThreshold = AlignedGenDefaults.CardsEntropyThreshold,
        double alpha = AlignedGenDefaults.CardsAlpha,
        double beta = AlignedGenDefaults.CardsBeta,
        int topK = AlignedGenDefaults.CardsTopK,
        int minSegmentLength = AlignedGenDefaults.CardsMinSegmentLength,
        int maxSegmentLength = AlignedGenDefaults.CardsMaxSegmentLength,
        int maxRetries = AlignedGenDefaults.CardsMaxRetries,
        CardsAcceptance acceptance = CardsAcceptance.Soft)
    {
        if (rewardThreshold is double r && !double.IsFinite(r))
            throw new ArgumentOutOfRangeException(nameof(rewardThreshold), r, $"The reward threshold r* must be a finite number in the reward model's units, got {r}. Leave it null to use reward(prompt) + rewardGain.");
        if (!double.IsFinite(rewardGain))
            throw new ArgumentOutOfRangeException(nameof(rewardGain), rewardGain, $"The reward gain must be a finite number in the reward model's units, got {rewardGain}. Use e.g. {AlignedGenDefaults.CardsRewardGain}.");
        if (!double.IsFinite(entropyThreshold) || entropyThreshold < 0)
            throw new ArgumentOutOfRangeException(nameof(entropyThreshold), entropyThreshold, $"The entropy threshold τH must be a finite number of nats, 0 or more, got {entropyThreshold}. The authors use {AlignedGenDefaults.CardsEntropyThreshold}.");
        if (!double.IsFinite(alpha) || alpha < 0 || alpha > 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"α must be between 0 and 1, got {alpha}: the starting threshold is (1 − α)·reward(prompt) + α·r*. The authors use {AlignedGenDefaults.CardsAlpha}.");
        if (!double.IsFinite(beta) || beta <= 0)
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"β (the sampling and acceptance temperature) must be above 0, got {beta}. The authors use {AlignedGenDefaults.CardsBeta}.");
        if (topK < 0)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"Top-k must be 0 (off) or more, got {topK}. The authors use {AlignedGenDefaults.CardsTopK}.");
        if (minSegmentLength < 1)
            throw new ArgumentOutOfRangeException(nameof(minSegmentLength), minSegmentLength, $"A segment needs at least 1 token before the entropy test may end it, got {minSegmentLength}. The authors use {AlignedGenDefaults.CardsMinSegmentLength}.");
        if (maxSegmentLength < minSegmentLength)
            throw new ArgumentOutOfRangeException(nameof(maxSegmentLength), maxSegmentLength, $"The longest segment ({maxSegmentLength} tokens) must be at least the shortest ({minSegmentLength}). The authors use {AlignedGenDefaults.CardsMaxSegmentLength}.");
        if (maxRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRetries), maxRetries, $"The retry cap must be 0 or more rejections per segment, got {maxRetries}. The authors use {AlignedGenDefaults.CardsMaxRetries}.");
        if (!Enum.IsDefined(acceptance))
            throw new ArgumentOutOfRangeException(nameof(acceptance), acceptance, "Use CardsAcceptance.Soft or CardsAcceptance.Hard.");
        RewardThreshold = rewardThreshold;
        RewardGain = rewardGain;
        EntropyThreshold = entropyThreshold;
        Alpha = alpha;
        Beta = beta;
        TopK = topK;
        MinSegmentLength = minSegmentLength;
        MaxSegmentLength = maxSegmentLength;
        MaxRetries = maxRetries;
        Acceptance = acceptance;
        Sampling = new SamplingOptions(beta, topK);
    }

    /// <summary>The final reward threshold r* (the reward model's units); null = per prompt, reward(prompt) + <see cref="RewardGain"/>.</summary>
    public double? RewardThreshold { get; }
    /// <summary>r* − reward(prompt) when <see cref="RewardThreshold"/> is null.</summary>
    public double RewardGain { get; }
    /// <summary>τH: a segment of at least <see cref="MinSegmentLength"/> tokens ends before a token whose next-token entropy (nats, full vocabulary, T = 1) reaches this.</summary>
    public double EntropyThreshold { get; }
    /// <summary>α: the threshold starts at r0 = (1 − α)·reward(prompt) + α·r* and rises linearly to r* over the response length.</summary>
    public double Alpha { get; }
    /// <summary>β: the sampling temperature and the soft acceptance temperature.</summary>
    public double Beta { get; }
    /// <summary>Sampling top-k (0 = off).</summary>
    public int TopK { get; }
    /// <summary>Tokens a segment has before the entropy test may end it.</summary>
    public int MinSegmentLength { get; }
    /// <summary>Most tokens in one segment.</summary>
    public int MaxSegmentLength { get; }
    /// <summary>Rejections of one segment after which the best candidate seen (this one included) is taken without a test.</summary>
    public int MaxRetries { get; }
    /// <summary>Soft (probabilistic) or hard acceptance.</summary>
    public CardsAcceptance Acceptance { get; }

    /// <summary>How segment tokens are drawn: softmax(top-k logits / β).</summary>
    public SamplingOptions Sampling { get; }

    /// <summary>The defaults.</summary>
    public static CardsOptions Default { get; } = new();

    /// <summary>"cards": segments ended by LM entropy, each accepted by rejection sampling against a rising reward threshold.</summary>
    public static StrategyDescriptor<CardsOptions> Descriptor { get; } = new(
        "cards", "CARDS: segments ended by LM uncertainty, each accepted by rejection sampling against a rising reward threshold; needs a reward",
        new[]
        {
            StrategyParameter.OptionalNumber<CardsOptions>("r", "RewardThreshold", "final reward threshold r* in the guide's units (not set = reward(prompt) + gain)", o => o.RewardThreshold),
            StrategyParameter.Number<CardsOptions>("gain", "RewardGain", AlignedGenDefaults.CardsRewardGain, "r* − reward(prompt) when r is not given", o => o.RewardGain),
            StrategyParameter.Number<CardsOptions>("entropy", "EntropyThreshold", AlignedGenDefaults.CardsEntropyThreshold, "next-token entropy (nats) that ends a segment", o => o.EntropyThreshold),
            StrategyParameter.Number<CardsOptions>("alpha", "Alpha", AlignedGenDefaults.CardsAlpha, "weight of r* in the starting threshold", o => o.Alpha),
            StrategyParameter.Number<CardsOptions>("beta", "Beta", AlignedGenDefaults.CardsBeta, "sampling and acceptance temperature", o => o.Beta),
            SamplingOptions.TopKParameter<CardsOptions>(o => o.TopK, AlignedGenDefaults.CardsTopK),
            StrategyParameter.Integer<CardsOptions>("min-segment", "MinSegmentLength", AlignedGenDefaults.CardsMinSegmentLength, "tokens before the entropy test may end a segment", o => o.MinSegmentLength),
            StrategyParameter.Integer<CardsOptions>("max-segment", "MaxSegmentLength", AlignedGenDefaults.CardsMaxSegmentLength, "most tokens per segment", o => o.MaxSegmentLength),
            StrategyParameter.Integer<CardsOptions>("retries", "MaxRetries", AlignedGenDefaults.CardsMaxRetries, "rejections of a segment before the best candidate is taken", o => o.MaxRetries),
            StrategyParameter.Flag<CardsOptions>("hard", "HardAcceptance", false, "accept when reward >= threshold (off = soft acceptance)", o => o.Acceptance == CardsAcceptance.Hard),
        },
        a => new CardsOptions(a.OptionalNumber("r"), a.Number("gain"), a.Number("entropy"), a.Number("alpha"), a.Number("beta"),
            a.Integer("top-k"), a.Integer("min-segment"), a.Integer("max-segment"), a.Integer("retries"), a.Flag("hard") ? CardsAcceptance.Hard : CardsAcceptance.Soft),
        o => new CardsStrategy(o));
}
