namespace AlignedGen.Jobs;

/// <summary>
/// The files a resumable dataset job keeps beside its output: while it runs, a JSONL checkpoint (the rows done so far) and
/// a lock; always, a manifest naming the job that wrote the output; in skip mode, the skipped records; for generation,
/// the rows that failed. Surfaces use these names to tell a user what exists and what to delete.
/// </summary>
public static class JobFiles
{
    /// <summary>&lt;output&gt;.checkpoint.jsonl: the durable rows of an unfinished run (the output appears when the run completes).</summary>
    public static string CheckpointPath(string outputPath) => JobOutput.CheckpointPath(outputPath);

    /// <summary>&lt;output&gt;.manifest.json: which job wrote the output (identity, state, rows done, their fingerprint).</summary>
    public static string ManifestPath(string outputPath) => JobManifest.PathFor(Path.GetFullPath(outputPath));

    /// <summary>&lt;output&gt;.skipped.jsonl: corrupt input records skipped in skip mode, one {line, problem, text} per line.</summary>
    public static string SkippedRecordsPath(string outputPath) => DatasetJobEngine.SkippedRecordsPath(outputPath);

    /// <summary>&lt;output&gt;.errors.jsonl: the rows of a generation output that failed, one {row, id, error} per line.</summary>
    public static string FailedRowsPath(string outputPath) => JobOutput.FailedRowsPath(outputPath);

    /// <summary>True when a job has left anything at <paramref name="outputPath"/>: the output, its checkpoint or its manifest.</summary>
    public static bool Exists(string outputPath) => JobOutput.AnyExists(outputPath);
}
