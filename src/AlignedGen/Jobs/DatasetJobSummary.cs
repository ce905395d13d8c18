namespace AlignedGen.Jobs;

/// <summary>What a completed run of a dataset job did (<c>RelabelSummary</c>, <c>GenerationJobSummary</c> add their own counts).</summary>
public abstract record DatasetJobSummary
{
    private protected DatasetJobSummary(DatasetJobOptions options, JobRunResult result)
    {
        InputPath = Path.GetFullPath(options.InputPath);
        OutputPath = Path.GetFullPath(options.OutputPath);
        Shard = options.Shard;
        InputRecords = result.InputRecords;
        RowsAlreadyDone = result.RowsAlreadyDone;
        SkippedCount = result.SkippedCount;
        SkippedRecords = result.SkippedRecords;
        SkippedRecordsPath = result.SkippedRecordsPath;
        TornBytesRemoved = result.TornBytesRemoved;
        Elapsed = result.Elapsed;
    }

    /// <summary>The input file.</summary>
    public string InputPath { get; init; }

    /// <summary>The output file (complete when the run returns).</summary>
    public string OutputPath { get; init; }

    /// <summary>The shard this run handled.</summary>
    public ShardSpec Shard { get; init; }

    /// <summary>Input records read, of every shard, corrupt ones included.</summary>
    public long InputRecords { get; init; }

    /// <summary>Rows of this shard found already done (resume).</summary>
    public long RowsAlreadyDone { get; init; }

    /// <summary>Rows processed and written by this run.</summary>
    protected abstract long RowsThisRun { get; }

    /// <summary>Rows in the output: already done plus this run's.</summary>
    public long RowsInOutput => RowsAlreadyDone + RowsThisRun;

    /// <summary>Corrupt records skipped (skip mode).</summary>
    public long SkippedCount { get; init; }

    /// <summary>The first 1,000 skipped records; all of them are in <see cref="SkippedRecordsPath"/>.</summary>
    public IReadOnlyList<SkippedRecord> SkippedRecords { get; init; }

    /// <summary>Side file listing every skipped record as JSONL {line, problem, text}, or null when none were skipped.</summary>
    public string? SkippedRecordsPath { get; init; }

    /// <summary>Bytes of a torn last record (from a killed run) removed from the checkpoint before resuming.</summary>
    public long TornBytesRemoved { get; init; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Rows processed per second by this run.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsThisRun / Elapsed.TotalSeconds : 0;
}
