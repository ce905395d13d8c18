namespace AlignedGen.Relabeling;

/// <summary>One measurement of <see cref="RelabelThroughput.Measure"/>: rows relabeled end to end (read, score, durable write) per second.</summary>
/// <param name="BatchSize">The job's batch size.</param>
/// <param name="Rows">Rows relabeled.</param>
/// <param name="ScoreCalls">Calls made to the reward source.</param>
/// <param name="Elapsed">Wall time of the job run.</param>
public sealed record RelabelThroughputResult(int BatchSize, int Rows, int ScoreCalls, TimeSpan Elapsed)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}
