namespace AlignedGen.Rewards;

/// <summary>
/// One item to score: the prompt, the response text, and optionally a reference answer (constrained questions)
/// and the LM's token ids of prompt and response, which a reward model that shares the LM's tokenizer uses directly.
/// </summary>
public sealed record RewardQuery(string Prompt, string Response, string? Reference = null)
{
    /// <summary>LM token ids of the prompt as the LM saw it (with BOS), when known.</summary>
    public IReadOnlyList<int>? PromptTokenIds { get; init; }

    /// <summary>LM token ids of the generated response, when known.</summary>
    public IReadOnlyList<int>? ResponseTokenIds { get; init; }

    /// <summary>
    /// The tokenizer the ids come from (the LM's). A reward model whose tokenizer has the same vocabulary scores the ids
    /// directly; any other re-tokenizes the text.
    /// </summary>
    public AlignedGen.Tokenization.ITextTokenizer? TokenIdsTokenizer { get; init; }
}
