using AlignedGen.Jobs;

namespace AlignedGen.Relabeling;

/// <summary>What a completed relabel run did.</summary>
public sealed record RelabelSummary
{
    /// <summary>The input file.</summary>
    public required string InputPath { get; init; }

    /// <summary>The output file (complete when the run returns).</summary>
    public required string OutputPath { get; init; }

    /// <summary>The shard this run relabeled.</summary>
    public required ShardSpec Shard { get; init; }

    /// <summary>Input records read, of every shard, corrupt ones included.</summary>
    public long InputRecords { get; init; }

    /// <summary>Rows of this shard found already done in the output (resume).</summary>
    public long RowsAlreadyDone { get; init; }

    /// <summary>Rows scored and written by this run.</summary>
    public long RowsScored { get; init; }

    /// <summary>(prompt, response) pairs scored by this run, per reward source.</summary>
    public long QueriesScored { get; init; }

    /// <summary>Rows in the output: already done plus scored.</summary>
    public long RowsInOutput => RowsAlreadyDone + RowsScored;

    /// <summary>Corrupt records skipped (skip mode).</summary>
    public long SkippedCount { get; init; }

    /// <summary>The first 1,000 skipped records; all of them are in <see cref="SkippedRecordsPath"/>.</summary>
    public IReadOnlyList<SkippedRecord> SkippedRecords { get; init; } = Array.Empty<SkippedRecord>();

    /// <summary>Side file listing every skipped record as JSONL {line, problem, text}, or null when none were skipped.</summary>
    public string? SkippedRecordsPath { get; init; }

    /// <summary>Bytes of a torn last record (from a killed run) removed from the output before resuming.</summary>
    public long TornBytesRemoved { get; init; }

    /// <summary>Wall time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Rows scored per second by this run.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsScored / Elapsed.TotalSeconds : 0;
}
