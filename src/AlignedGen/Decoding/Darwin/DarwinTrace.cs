namespace AlignedGen.Decoding;

/// <summary>How DARWIN found a response: the seed, each iteration, the final archive, and notes (e.g. replacement-only search).</summary>
public sealed record DarwinTrace : DecodingTrace
{
    /// <summary>The original instruction (the request's prompt); every reward is measured against it.</summary>
    public required string OriginalInstruction { get; init; }
    /// <summary>Reward of the seed response (one sample for the original instruction).</summary>
    public required float SeedReward { get; init; }
    /// <summary>The iterations in order.</summary>
    public required IReadOnlyList<DarwinIteration> Iterations { get; init; }
    /// <summary>The archive after the last iteration: instructions and the best reward each reached, in insertion order.</summary>
    public required IReadOnlyList<DarwinArchiveEntry> Archive { get; init; }
    /// <summary>Iteration (1-based) whose beam gave the returned response, or 0 for the seed.</summary>
    public required int BestIteration { get; init; }
    /// <summary>Beam that gave the returned response within its iteration, or -1 for the seed.</summary>
    public required int BestBeam { get; init; }
    /// <summary>The instruction the returned response was generated for.</summary>
    public required string BestInstruction { get; init; }
    /// <summary>True when no iteration searched with mutated instructions (mutation off or failed every time).</summary>
    public required bool ReplacementOnly { get; init; }
    /// <summary>Tokens sampled for this prompt: seed, mutations and beams (replaced beams' tokens included).</summary>
    public required long SampledTokens { get; init; }
}
