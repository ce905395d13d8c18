using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// What every resumable dataset job (relabeling, generation) shares: its input and output files, how rows are identified
/// and sharded, and the identity recorded in its manifest. Built by each job's options; the job machinery reads only this.
/// </summary>
internal sealed record DatasetJobSpec
{
    /// <summary>"relabel" or "generate": recorded in the manifest, so one kind of job never resumes another's output.</summary>
    public required string Kind { get; init; }

    public required string InputPath { get; init; }

    public required RecordFormat InputFormat { get; init; }

    public required RecordReaderOptions ReaderOptions { get; init; }

    public required string OutputPath { get; init; }

    public required RecordFormat OutputFormat { get; init; }

    public char? OutputDelimiter { get; init; }

    /// <summary>Row id column, or null to identify rows by their content.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Strict: a row without its id is an error; otherwise it is identified by its content.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>Columns every input row must have (checked against a CSV header or Parquet schema before anything is written).</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = Array.Empty<string>();

    /// <summary>Columns the job writes (reward columns, generation results): left out of row content comparisons and hashes.</summary>
    public required IReadOnlyList<string> OutputColumns { get; init; }

    public ShardSpec Shard { get; init; } = ShardSpec.All;

    public ShardAssignment ShardAssignment { get; init; } = ShardAssignment.RowIndex;

    public bool SkipBadRecords { get; init; }

    public bool Resume { get; init; } = true;

    public bool SyncToDisk { get; init; } = true;

    public int ParquetRowGroupSize { get; init; } = 10_000;

    /// <summary>What of the job itself must not change between runs that write one output (its reward or model, its columns), as JSON.</summary>
    public required JsonObject JobIdentity { get; init; }

    /// <summary>Everything compared on resume: the dataset settings (<see cref="DatasetIdentity"/>), the shard and <see cref="JobIdentity"/>.</summary>
    public JsonObject Identity => DatasetIdentity.Of(this);

    /// <summary>Settings recorded for information (batch size, paths): a change does not stop a resume.</summary>
    public JsonObject Settings { get; init; } = new();

    /// <summary>
    /// For jobs that write failed rows into their output (generation): the reason a written row failed, or null when it
    /// did not. When set, completion lists the output's failed rows in &lt;output&gt;.errors.jsonl.
    /// </summary>
    public Func<DataRow, string?>? RowError { get; init; }

    /// <summary>How this surface names "start again" and its settings, for error fixes (C#: RelabelOptions.Resume = false).</summary>
    public string RestartHint { get; init; } = "set Resume = false";
}
