namespace AlignedGen.Decoding;

/// <summary>How a row's model cache followed when it took another row's response (<see cref="SequenceBatch.AdoptResponses"/>).</summary>
public enum ResponseAdoption
{
    /// <summary>Both rows have the same prompt tokens: the source's cache row was copied (no model work).</summary>
    CopiedCache,

    /// <summary>The prompts differ: the row was re-prefilled with its own prompt plus the adopted response.</summary>
    Refilled,

    /// <summary>The adopted response had already finished, so the row finished too and left the model's batch.</summary>
    Finished,
}
