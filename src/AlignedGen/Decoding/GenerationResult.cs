namespace AlignedGen.Decoding;

/// <summary>A generated response with its ids, why it stopped, its reward (when a reward source scored it) and its cost.</summary>
public sealed record GenerationResult
{
    /// <summary>The request's id: the row's identity, carried from <see cref="GenerationRequest.Id"/>.</summary>
    public string? Id { get; init; }
    /// <summary>The prompt as given (before any chat template).</summary>
    public required string Prompt { get; init; }
    /// <summary>The request's reference answer (for rewards that use one), or null.</summary>
    public string? Reference { get; init; }
    /// <summary>The request's prompt as encoded for the model (chat template and special tokens applied), as rewards see it.</summary>
    public IReadOnlyList<int> PromptTokenIds { get; init; } = Array.Empty<int>();
    /// <summary>The response text (special tokens dropped, cut before a stop string).</summary>
    public required string Text { get; init; }
    /// <summary>Generated token ids (the final EOS excluded).</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }
    /// <summary>Why decoding stopped.</summary>
    public required FinishReason FinishReason { get; init; }
    /// <summary>Prompt length in tokens (special tokens and template included) of the row that answered (DARWIN: its instruction).</summary>
    public int PromptTokenCount { get; init; }
    /// <summary>The strategy that produced it.</summary>
    public required string Strategy { get; init; }
    /// <summary>Final reward under the strategy's reward source, when it has one.</summary>
    public float? Reward { get; init; }
    /// <summary>What it cost.</summary>
    public required GenerationCost Cost { get; init; }
    /// <summary>Other candidates with their rewards (Best-of-N with all samples kept); empty otherwise.</summary>
    public IReadOnlyList<ScoredResponse> Alternatives { get; init; } = Array.Empty<ScoredResponse>();
    /// <summary>How the strategy found the response (DARWIN: a <see cref="DarwinTrace"/>); null for strategies that record none.</summary>
    public DecodingTrace? Trace { get; init; }
    /// <summary>Why the row could not be generated, when <see cref="FinishReason"/> is <see cref="Decoding.FinishReason.Error"/>; null otherwise.</summary>
    public string? Error { get; init; }
}
