using AlignedGen.Jobs;

namespace AlignedGen.Relabeling;

/// <summary>What a completed relabel run did.</summary>
public sealed record RelabelSummary : DatasetJobSummary
{
    internal RelabelSummary(RelabelOptions options, JobRunResult result, long queriesScored) : base(options, result)
    {
        RowsScored = result.RowsProcessed;
        QueriesScored = queriesScored;
    }

    /// <summary>Rows scored and written by this run.</summary>
    public long RowsScored { get; init; }

    /// <summary>(prompt, response) pairs scored by this run, per reward source.</summary>
    public long QueriesScored { get; init; }

    protected override long RowsThisRun => RowsScored;
}
