using AlignedGen.Decoding;

namespace AlignedGen.Evaluation;

/// <summary>
/// One response with its quality metrics: the row a comparison writes per (setting, prompt), and what
/// <c>Measure-AlignmentQuality</c> and the ML.NET metric columns produce. Metrics that were not asked for are null.
/// </summary>
public sealed record EvaluatedResponse
{
    /// <summary>The setting that produced it (a <see cref="ComparisonSetting.Label"/>, e.g. "args w=1.5"); empty when scored alone.</summary>
    public string Setting { get; init; } = "";
    /// <summary>The prompt's id (pairs responses of different settings for win/tie/loss).</summary>
    public required string PromptId { get; init; }
    /// <summary>The prompt as given.</summary>
    public required string Prompt { get; init; }
    /// <summary>The response text.</summary>
    public required string Response { get; init; }
    /// <summary>Why decoding stopped, when the response was generated here.</summary>
    public FinishReason? FinishReason { get; init; }
    /// <summary>Reward under the guiding reward source (the one the strategy optimised).</summary>
    public double? GuidingReward { get; init; }
    /// <summary>Reward under the held-out (judging) reward source, which the strategy never saw.</summary>
    public double? HeldOutReward { get; init; }
    /// <summary>ARGS diversity: product over n = 2..4 of (1 − repeated n-grams / total n-grams), in [0, 1].</summary>
    public double? Diversity { get; init; }
    /// <summary>Cosine similarity of prompt and response sentence embeddings.</summary>
    public double? Coherence { get; init; }
    /// <summary>Mean negative log-likelihood (nats per token) of the response under the generator, given the prompt.</summary>
    public double? Fluency { get; init; }
    /// <summary>Response length in generator tokens (or in whitespace words when no generator tokenizer was given).</summary>
    public int Length { get; init; }
    /// <summary>What generating it cost; null for responses scored but not generated here.</summary>
    public GenerationCost? Cost { get; init; }
    /// <summary>The over-optimisation check against the comparison's baseline (reward gap, fluency drift, flag); null when not checked.</summary>
    public OveroptimizationCheck? Overoptimization { get; init; }
}
