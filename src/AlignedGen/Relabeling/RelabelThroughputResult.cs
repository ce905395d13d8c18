namespace AlignedGen.Relabeling;

/// <summary>One measurement of <see cref="RelabelThroughput"/>: rows relabeled end to end (read, score, durable write) per second.</summary>
/// <param name="BatchSize">The job's batch size.</param>
/// <param name="Rows">Rows relabeled.</param>
/// <param name="ScoreCalls">Calls made to the reward source.</param>
/// <param name="Elapsed">Wall time of the job run.</param>
/// <param name="SourceTime">Time spent inside the reward source's Score calls (the rest is reading, writing and fsync).</param>
/// <param name="OutputPath">The scored file the run wrote (JSONL, a <c>reward</c> column added), or null.</param>
internal sealed record RelabelThroughputResult(int BatchSize, int Rows, int ScoreCalls, TimeSpan Elapsed, TimeSpan SourceTime = default, string? OutputPath = null)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;

    /// <summary>Share of the wall time spent inside the reward source (0..1).</summary>
    public double SourceShare => Elapsed.Ticks > 0 ? Math.Min(1.0, SourceTime.Ticks / (double)Elapsed.Ticks) : 0;
}
