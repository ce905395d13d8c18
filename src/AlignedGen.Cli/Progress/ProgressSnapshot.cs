namespace AlignedGen.Cli.Progress;

/// <summary>Where a run stands: <see cref="Done"/> of <see cref="Total"/> (null when unknown) units, and an optional detail.</summary>
public sealed record ProgressSnapshot(long Done, long? Total, TimeSpan Elapsed, string? Detail = null)
{
    /// <summary>Units per second since the start.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the current rate, when the total is known and something was done.</summary>
    public TimeSpan? Remaining => Total is { } total && Done > 0 && Rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - Done) / Rate) : null;
}
