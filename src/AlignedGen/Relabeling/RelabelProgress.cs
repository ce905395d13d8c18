namespace AlignedGen.Relabeling;

/// <summary>Progress of a relabel job, reported after every written batch.</summary>
/// <param name="RowsDone">Rows of this shard in the output, including rows done by earlier runs.</param>
/// <param name="TotalRows">Rows this shard will have when known (counted cheaply before the run), else null.</param>
/// <param name="RowsScoredThisRun">Rows scored and written by this run.</param>
/// <param name="RowsSkipped">Corrupt input records skipped so far (skip mode).</param>
/// <param name="RowsPerSecond">Rows scored per second by this run.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record RelabelProgress(long RowsDone, long? TotalRows, long RowsScoredThisRun, long RowsSkipped, double RowsPerSecond, TimeSpan Elapsed);
