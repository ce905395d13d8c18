namespace AlignedGen.Models;

/// <summary>
/// What a causal LM folder declares about itself, merged from config.json, generation_config.json and
/// genai_config.json (the graph itself is read separately).
/// </summary>
public sealed record DecoderConfig
{
    /// <summary>Size of the logits' last dimension.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Maximum total sequence length (prompt + generated).</summary>
    public required int ContextLength { get; init; }

    /// <summary>Token prepended to prompts, when the model uses one.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>Tokens that end generation (may be several, e.g. stories260K stops on 2 and 1).</summary>
    public required IReadOnlyList<int> EosTokenIds { get; init; }

    /// <summary>Token used for padding rows in a batch.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Model type from config.json (e.g. "llama"), for information.</summary>
    public string ModelType { get; init; } = "unknown";

    /// <summary>Where each value came from, one line per decision (e.g. a disagreement between files).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
