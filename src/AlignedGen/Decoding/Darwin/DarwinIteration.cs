namespace AlignedGen.Decoding;

/// <summary>One DARWIN iteration: the parent instruction, its mutations, the beams' instructions and outcome, and what joined the archive.</summary>
public sealed record DarwinIteration
{
    /// <summary>1-based iteration number.</summary>
    public required int Number { get; init; }
    /// <summary>The archive instruction picked at random as the parent.</summary>
    public required string Parent { get; init; }
    /// <summary>The parent's archive reward when picked.</summary>
    public required float ParentReward { get; init; }
    /// <summary>Each mutation round's outcome (empty when mutation is off).</summary>
    public required IReadOnlyList<DarwinMutation> Mutations { get; init; }
    /// <summary>One instruction per beam.</summary>
    public required IReadOnlyList<string> Instructions { get; init; }
    /// <summary>Each beam's final reward (against the original instruction).</summary>
    public required IReadOnlyList<float> FinalRewards { get; init; }
    /// <summary>How often each beam was among the kept top states.</summary>
    public required IReadOnlyList<int> SelectionCounts { get; init; }
    /// <summary>Instructions that joined (or improved in) the archive after this iteration.</summary>
    public required IReadOnlyList<DarwinArchiveEntry> ArchiveAdditions { get; init; }
    /// <summary>Every replacement point, when <see cref="DarwinOptions.TraceSegments"/> is set; otherwise empty.</summary>
    public required IReadOnlyList<DarwinSegment> Segments { get; init; }
    /// <summary>Segments decoded (replacement points), recorded in detail or not.</summary>
    public required int SegmentCount { get; init; }
}
