namespace AlignedGen.Evaluation;

/// <summary>What a comparison is doing for the current setting.</summary>
public enum ComparisonStage
{
    /// <summary>Generating responses with the setting's strategy.</summary>
    Generating,
    /// <summary>Measuring the responses (rewards, diversity, coherence, fluency).</summary>
    Evaluating,
    /// <summary>Every setting is done.</summary>
    Finished,
}
