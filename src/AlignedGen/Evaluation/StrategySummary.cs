namespace AlignedGen.Evaluation;

/// <summary>One setting's aggregated metrics and cost: a row of the summary table.</summary>
public sealed record StrategySummary
{
    /// <summary>The setting's label.</summary>
    public required string Setting { get; init; }
    /// <summary>The setting's family (sweep line).</summary>
    public required string Family { get; init; }
    /// <summary>The setting's numeric parameters.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();
    /// <summary>Responses summarised.</summary>
    public int Count { get; init; }
    /// <summary>Reward under the guiding source.</summary>
    public MetricSummary GuidingReward { get; init; } = MetricSummary.Empty;
    /// <summary>Reward under the held-out source.</summary>
    public MetricSummary HeldOutReward { get; init; } = MetricSummary.Empty;
    /// <summary>ARGS diversity.</summary>
    public MetricSummary Diversity { get; init; } = MetricSummary.Empty;
    /// <summary>Prompt–response embedding cosine.</summary>
    public MetricSummary Coherence { get; init; } = MetricSummary.Empty;
    /// <summary>Mean NLL under the generator (lower is more fluent).</summary>
    public MetricSummary Fluency { get; init; } = MetricSummary.Empty;
    /// <summary>Response length in tokens.</summary>
    public MetricSummary Length { get; init; } = MetricSummary.Empty;
    /// <summary>Responses the over-optimisation check flagged (reward gap, fluency drift, either) out of those checked.</summary>
    public OveroptimizationCount Overoptimization { get; init; } = OveroptimizationCount.None;
    /// <summary>Against the baseline under the held-out reward; null for the baseline itself or without a held-out source.</summary>
    public WinTieLoss? VersusBaseline { get; init; }
    /// <summary>Mean LM token positions per response.</summary>
    public double LmTokensPerResponse { get; init; }
    /// <summary>Mean LM calls per response.</summary>
    public double LmCallsPerResponse { get; init; }
    /// <summary>Mean reward-model calls per response.</summary>
    public double RewardCallsPerResponse { get; init; }
    /// <summary>Mean reward-model token positions (or texts) per response.</summary>
    public double RewardTokensPerResponse { get; init; }
    /// <summary>Wall seconds for the whole setting (generation only, metrics excluded).</summary>
    public double WallSeconds { get; init; }
    /// <summary>Wall milliseconds per response.</summary>
    public double MillisecondsPerResponse { get; init; }
}
