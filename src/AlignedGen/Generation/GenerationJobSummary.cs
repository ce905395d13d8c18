using AlignedGen.Jobs;

namespace AlignedGen.Generation;

/// <summary>What a completed generation job run did.</summary>
public sealed record GenerationJobSummary : DatasetJobSummary
{
    internal GenerationJobSummary(GenerationJobOptions options, JobRunResult result) : base(options, result)
    {
        RowsGenerated = result.RowsProcessed;
        RowsFailed = result.FailedRows;
        FailedRowsPath = result.FailedRowsPath;
    }

    /// <summary>Prompts generated and written by this run (failed rows included).</summary>
    public long RowsGenerated { get; init; }

    /// <summary>Rows of the output that failed (finish_reason "error"; listed in <see cref="FailedRowsPath"/>).</summary>
    public long RowsFailed { get; init; }

    /// <summary>&lt;output&gt;.errors.jsonl, listing the output's failed rows ({row, id, error}), or null when none failed.</summary>
    public string? FailedRowsPath { get; init; }

    protected override long RowsThisRun => RowsGenerated;
}
