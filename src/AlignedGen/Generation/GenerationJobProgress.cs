namespace AlignedGen.Generation;

/// <summary>Progress of a generation job, reported after every written batch.</summary>
/// <param name="RowsDone">Prompts of this shard in the output, including those done by earlier runs.</param>
/// <param name="TotalRows">Prompts this shard will have when known (counted cheaply before the run), else null.</param>
/// <param name="RowsGeneratedThisRun">Prompts generated and written by this run.</param>
/// <param name="RowsFailed">Rows of this run that failed (written with finish_reason "error").</param>
/// <param name="RowsSkipped">Corrupt input records skipped so far (skip mode).</param>
/// <param name="RowsPerSecond">Prompts generated per second by this run.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record GenerationJobProgress(long RowsDone, long? TotalRows, long RowsGeneratedThisRun, long RowsFailed, long RowsSkipped, double RowsPerSecond, TimeSpan Elapsed);
