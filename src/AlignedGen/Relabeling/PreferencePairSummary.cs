namespace AlignedGen.Relabeling;

/// <summary>What <see cref="PreferencePairs.Build"/> did.</summary>
public sealed record PreferencePairSummary
{
    /// <summary>Input rows read.</summary>
    public long RowsRead { get; init; }

    /// <summary>Scored responses read (a list cell counts each element).</summary>
    public long Responses { get; init; }

    /// <summary>Distinct prompts (groups).</summary>
    public long Prompts { get; init; }

    /// <summary>Pairs written.</summary>
    public long PairsWritten { get; init; }

    /// <summary>Prompts with fewer than two responses: no pair possible, skipped.</summary>
    public long PromptsSkippedSingleResponse { get; init; }

    /// <summary>Prompts with two or more responses but no score gap above the margin (all tied, for margin 0): skipped.</summary>
    public long PromptsSkippedNoScoreGap { get; init; }

    /// <summary>Candidate pairs skipped because chosen and rejected texts were identical.</summary>
    public long PairsSkippedIdenticalText { get; init; }
}
