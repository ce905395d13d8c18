namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// What one progress report says, independent of the core's progress type: a status line and, when known, how much
/// of how much is done. Cmdlets map core progress values onto this with a small lambda.
/// </summary>
/// <param name="Status">The StatusDescription shown under the activity (must not be empty).</param>
/// <param name="Completed">Units done so far, or null when unknown.</param>
/// <param name="Total">Total units, or null when unknown; PercentComplete is shown only when it is known and positive.</param>
/// <param name="CurrentOperation">An optional second line, e.g. the prompt being decoded.</param>
public readonly record struct ProgressInfo(string Status, long? Completed = null, long? Total = null, string? CurrentOperation = null)
{
    /// <summary>0–100 when both counts are known and the total is positive, otherwise -1 (PowerShell's "unknown").</summary>
    public int PercentComplete =>
        Completed is { } done && Total is { } total && total > 0
            ? (int)Math.Clamp(done * 100 / total, 0L, 100L)
            : -1;
}
