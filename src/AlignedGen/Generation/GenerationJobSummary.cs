using AlignedGen.Jobs;

namespace AlignedGen.Generation;

/// <summary>What a completed generation job run did.</summary>
public sealed record GenerationJobSummary
{
    /// <summary>The prompt file.</summary>
    public required string InputPath { get; init; }

    /// <summary>The output file (complete when the run returns).</summary>
    public required string OutputPath { get; init; }

    /// <summary>The shard this run generated.</summary>
    public required ShardSpec Shard { get; init; }

    /// <summary>Input records read, of every shard, corrupt ones included.</summary>
    public long InputRecords { get; init; }

    /// <summary>Prompts of this shard found already done (resume).</summary>
    public long RowsAlreadyDone { get; init; }

    /// <summary>Prompts generated and written by this run (failed rows included).</summary>
    public long RowsGenerated { get; init; }

    /// <summary>Rows of the output that failed (finish_reason "error"; listed in <see cref="FailedRowsPath"/>).</summary>
    public long RowsFailed { get; init; }

    /// <summary>&lt;output&gt;.errors.jsonl, listing the output's failed rows ({row, id, error}), or null when none failed.</summary>
    public string? FailedRowsPath { get; init; }

    /// <summary>Rows in the output: already done plus generated.</summary>
    public long RowsInOutput => RowsAlreadyDone + RowsGenerated;

    /// <summary>Corrupt input records skipped (skip mode).</summary>
    public long SkippedCount { get; init; }

    /// <summary>The first 1,000 skipped records; all of them are in <see cref="SkippedRecordsPath"/>.</summary>
    public IReadOnlyList<SkippedRecord> SkippedRecords { get; init; } = Array.Empty<SkippedRecord>();

    /// <summary>Side file listing every skipped record, or null when none were skipped.</summary>
    public string? SkippedRecordsPath { get; init; }

    /// <summary>Bytes of a torn last record (from a killed run) removed before resuming.</summary>
    public long TornBytesRemoved { get; init; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Prompts generated per second by this run.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsGenerated / Elapsed.TotalSeconds : 0;
}
