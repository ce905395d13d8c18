namespace AlignedGen.Decoding;

/// <summary>How Speculative Rejection found a response for one prompt: each decision point, the samples stopped early, and the work done.</summary>
public sealed record SpeculativeRejectionTrace : DecodingTrace
{
    /// <summary>The decision points that ran, in order.</summary>
    public required IReadOnlyList<SpeculativeRejectionDecision> Decisions { get; init; }
    /// <summary>Samples started (N).</summary>
    public required int Samples { get; init; }
    /// <summary>Samples stopped at a decision point before they finished.</summary>
    public required int StoppedEarly { get; init; }
    /// <summary>Samples that ran to the end (EOS, a stop string or the length limit); the answer is the best of these.</summary>
    public required int Completed { get; init; }
    /// <summary>Tokens generated for this prompt over all its samples, EOS excluded (Best-of-N spends the full length of all N).</summary>
    public required long SampledTokens { get; init; }
    /// <summary>The sample that gave the response.</summary>
    public required int BestSample { get; init; }
}

/// <summary>
/// One decision point of one prompt: the response length it ran at, the pool ranked (running samples plus completed
/// responses still holding a place), how many places were kept and which running samples were stopped.
/// </summary>
public sealed record SpeculativeRejectionDecision(int Length, int Pool, int Kept, IReadOnlyList<int> Stopped);
