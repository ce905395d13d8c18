namespace AlignedGen.Decoding;

/// <summary>How CARDS built a response for one prompt: the thresholds it used and what its segments cost.</summary>
public sealed record CardsTrace : DecodingTrace
{
    /// <summary>The guiding reward of the prompt alone (empty response).</summary>
    public required float PromptReward { get; init; }
    /// <summary>The final threshold r* (given, or the prompt's reward plus the gain).</summary>
    public required double FinalThreshold { get; init; }
    /// <summary>The starting threshold r0 = (1 − α)·reward(prompt) + α·r*.</summary>
    public required double StartThreshold { get; init; }
    /// <summary>Candidate segments drawn and scored.</summary>
    public required int SegmentsTried { get; init; }
    /// <summary>Segments in the response (accepted by the test or taken as the best after the retry cap).</summary>
    public required int SegmentsAccepted { get; init; }
    /// <summary>Segments taken as the best candidate after <see cref="CardsOptions.MaxRetries"/> rejections, without a test.</summary>
    public required int SegmentsForced { get; init; }
    /// <summary>Tokens sampled for this prompt, rejected segments included (EOS excluded).</summary>
    public required long SampledTokens { get; init; }
    /// <summary>Tokens fed to the model a second time: a best candidate taken after the retry cap, fed again from the segment start.</summary>
    public required long RecomputedTokens { get; init; }
    /// <summary>Length (tokens) of each segment of the response, in order.</summary>
    public required IReadOnlyList<int> SegmentLengths { get; init; }
}
