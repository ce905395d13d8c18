namespace AlignedGen.Evaluation;

/// <summary>
/// Everything one comparison run produced: what was compared, the per-setting summaries (baseline first unless the
/// caller ordered otherwise), and every evaluated response. The report writer draws from this alone.
/// </summary>
public sealed record ComparisonResult
{
    /// <summary>The generator (model folder name or description).</summary>
    public required string Generator { get; init; }
    /// <summary>The guiding reward source's name; null when no setting used one.</summary>
    public string? GuidingReward { get; init; }
    /// <summary>The held-out (judging) reward source's name; null when none was given.</summary>
    public string? HeldOutReward { get; init; }
    /// <summary>The embedding model used for coherence; null when coherence was not measured.</summary>
    public string? Embedder { get; init; }
    /// <summary>The baseline setting's label (win/tie/loss is against it).</summary>
    public required string Baseline { get; init; }
    /// <summary>Number of prompts every setting ran on.</summary>
    public int PromptCount { get; init; }
    /// <summary>Max new tokens per response.</summary>
    public int MaxNewTokens { get; init; }
    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }
    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>Total wall seconds of the run, metrics included.</summary>
    public double WallSeconds { get; init; }
    /// <summary>The thresholds of the over-optimisation check each response was given (against the baseline's responses).</summary>
    public OveroptimizationOptions Overoptimization { get; init; } = OveroptimizationOptions.Default;
    /// <summary>One summary per setting, in table order.</summary>
    public required IReadOnlyList<StrategySummary> Summaries { get; init; }
    /// <summary>Every evaluated response, grouped by setting in table order, prompts in input order.</summary>
    public required IReadOnlyList<EvaluatedResponse> Responses { get; init; }
}
