namespace AlignedGen.Evaluation;

/// <summary>
/// Thresholds of the per-response over-optimisation check (see <see cref="OveroptimizationCheck"/>). Validated on
/// creation. Defaults: a reward gap above 2 (the guide rates the response 2 baseline standard deviations higher than
/// the judge does; among unoptimised responses that happens for about 2% when the two rewards correlate at 0.5, and less
/// often the more they agree) or a fluency drift above 0.5 nats per token (each token about 1.6 times less likely
/// under the generator than the baseline's on average).
/// </summary>
public sealed record OveroptimizationOptions
{
    /// <summary>The default reward-gap threshold: z(guiding) − z(held-out), in baseline standard deviations.</summary>
    public const double DefaultRewardGapThreshold = 2.0;
    /// <summary>The default fluency-drift threshold, in nats per token above the baseline's mean NLL.</summary>
    public const double DefaultFluencyDriftThreshold = 0.5;

    public OveroptimizationOptions(double rewardGapThreshold = DefaultRewardGapThreshold, double fluencyDriftThreshold = DefaultFluencyDriftThreshold)
    {
        if (!double.IsFinite(rewardGapThreshold) || rewardGapThreshold <= 0)
            throw new ArgumentOutOfRangeException(nameof(rewardGapThreshold), rewardGapThreshold, $"The reward-gap threshold must be a positive number of baseline standard deviations, got {rewardGapThreshold}. Use e.g. {DefaultRewardGapThreshold}.");
        if (!double.IsFinite(fluencyDriftThreshold) || fluencyDriftThreshold <= 0)
            throw new ArgumentOutOfRangeException(nameof(fluencyDriftThreshold), fluencyDriftThreshold, $"The fluency-drift threshold must be a positive number of nats per token, got {fluencyDriftThreshold}. Use e.g. {DefaultFluencyDriftThreshold}.");
        RewardGapThreshold = rewardGapThreshold;
        FluencyDriftThreshold = fluencyDriftThreshold;
    }

    /// <summary>A response is flagged when z(guiding) − z(held-out) exceeds this (baseline standard deviations).</summary>
    public double RewardGapThreshold { get; }
    /// <summary>A response is flagged when its mean NLL exceeds the baseline's mean by more than this (nats per token).</summary>
    public double FluencyDriftThreshold { get; }

    /// <summary>The defaults.</summary>
    public static OveroptimizationOptions Default { get; } = new();
}
