namespace AlignedGen.Jobs;

/// <summary>What one run of a dataset job did, as the shared run loop counts it; each job's summary is built from it.</summary>
internal sealed record JobRunResult
{
    public required long InputRecords { get; init; }
    public required long RowsAlreadyDone { get; init; }
    public required long RowsProcessed { get; init; }
    public required long SkippedCount { get; init; }
    public required IReadOnlyList<SkippedRecord> SkippedRecords { get; init; }
    public string? SkippedRecordsPath { get; init; }
    public long TornBytesRemoved { get; init; }
    public long FailedRows { get; init; }
    public string? FailedRowsPath { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>Progress of a dataset job run: rows of the shard done (earlier runs included), its total when known, rows processed by this run, records skipped.</summary>
internal readonly record struct JobRunProgress(long RowsDone, long? TotalRows, long RowsThisRun, long RowsSkipped, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsThisRun / Elapsed.TotalSeconds : 0;
}
