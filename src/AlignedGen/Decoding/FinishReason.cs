namespace AlignedGen.Decoding;

/// <summary>Why a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>Still running (only seen in intermediate states).</summary>
    None = 0,
    /// <summary>The model produced a stop (EOS) token.</summary>
    Eos,
    /// <summary>The max-new-tokens budget (or the context window) ran out.</summary>
    Length,
    /// <summary>A stop string appeared in the decoded text.</summary>
    Stop,
    /// <summary>The row could not be generated (empty prompt, prompt longer than the context, a failure of the reward for that row): see <see cref="GenerationResult.Error"/>.</summary>
    Error,
}
