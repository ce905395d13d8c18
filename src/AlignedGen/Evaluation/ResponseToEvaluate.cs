using AlignedGen.Decoding;

namespace AlignedGen.Evaluation;

/// <summary>
/// One (prompt, response[, reference]) row for <see cref="QualityEvaluator"/>: generated here (with ids, finish reason
/// and cost) or read from existing data (text only).
/// </summary>
public sealed record ResponseToEvaluate(string Prompt, string Response, string? Reference = null)
{
    /// <summary>The prompt's id (pairs settings for win/tie/loss); null = the row's position in the evaluated list.</summary>
    public string? PromptId { get; init; }

    /// <summary>The setting that produced the response; empty when scored alone.</summary>
    public string Setting { get; init; } = "";

    /// <summary>Why decoding stopped, when the response was generated here.</summary>
    public FinishReason? FinishReason { get; init; }

    /// <summary>What generating it cost, when it was generated here.</summary>
    public GenerationCost? Cost { get; init; }

    /// <summary>The generator's token ids of the prompt as it saw it (template and BOS included); null = encode the prompt.</summary>
    public IReadOnlyList<int>? PromptTokenIds { get; init; }

    /// <summary>The generator's token ids of the response (no final EOS); null = encode the response text.</summary>
    public IReadOnlyList<int>? ResponseTokenIds { get; init; }

    /// <summary>A row for a generated result: its text, ids, finish reason and cost, with the prompt ids the generator used.</summary>
    public static ResponseToEvaluate FromGeneration(GenerationResult result, IReadOnlyList<int>? promptTokenIds, string setting = "", string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResponseToEvaluate(result.Prompt, result.Text, reference)
        {
            PromptId = result.Id,
            Setting = setting ?? "",
            FinishReason = result.FinishReason,
            Cost = result.Cost,
            PromptTokenIds = promptTokenIds,
            ResponseTokenIds = result.TokenIds,
        };
    }
}
