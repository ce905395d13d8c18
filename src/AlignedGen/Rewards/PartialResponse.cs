namespace AlignedGen.Rewards;

/// <summary>
/// A response being decoded, as a candidate scorer sees it: the prompt (text and the LM's ids), the response's LM ids
/// so far and the reference answer, if any. The decoder keeps one object per sequence for a whole decode and its
/// <see cref="ResponseTokens"/> grow as tokens are appended, so a scorer may key state on the object from step to step.
/// </summary>
public sealed class PartialResponse
{
    public PartialResponse(string prompt, string? reference, IReadOnlyList<int> promptTokens, IReadOnlyList<int> responseTokens)
    {
        Prompt = prompt ?? throw new ArgumentNullException(nameof(prompt));
        Reference = reference;
        PromptTokens = promptTokens ?? throw new ArgumentNullException(nameof(promptTokens));
        ResponseTokens = responseTokens ?? throw new ArgumentNullException(nameof(responseTokens));
    }

    /// <summary>The prompt text, as rewards measure it.</summary>
    public string Prompt { get; }

    /// <summary>A reference answer, when the prompt has one.</summary>
    public string? Reference { get; }

    /// <summary>The prompt's LM token ids as the LM saw them (template and BOS included).</summary>
    public IReadOnlyList<int> PromptTokens { get; }

    /// <summary>The response's LM token ids so far (a live view: it grows as the decoder appends).</summary>
    public IReadOnlyList<int> ResponseTokens { get; }
}
