using System.Diagnostics;
using System.Management.Automation;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// An <see cref="IProgress{T}"/> for core-library calls that turns each report into a PowerShell ProgressRecord:
/// PercentComplete and SecondsRemaining when the total is known, throttled to a few records a second (every change of
/// percentage still shows), and a Completed record from <see cref="Complete"/>. Thread-safe; where records go (straight
/// to WriteProgress, or queued for the pipeline thread) is decided by whoever creates it
/// (<see cref="AlignedGenCmdlet.CreateProgress{T}"/>, <see cref="BackgroundWork.CreateProgress{T}"/>).
/// </summary>
public sealed class CmdletProgress<T> : IProgress<T>
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(200);

    private readonly int _activityId;
    private readonly string _activity;
    private readonly Func<T, ProgressInfo> _describe;
    private readonly Action<ProgressRecord> _write;
    private readonly Stopwatch _clock = new();
    private readonly object _gate = new();
    private TimeSpan _lastWrite;
    private int _lastPercent = int.MinValue;
    private string? _lastStatus;
    private bool _completed;

    internal CmdletProgress(int activityId, string activity, Func<T, ProgressInfo> describe, Action<ProgressRecord> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(activity);
        _activityId = activityId;
        _activity = activity;
        _describe = describe ?? throw new ArgumentNullException(nameof(describe));
        _write = write;
    }

    /// <summary>The ProgressRecord ActivityId this reporter writes.</summary>
    public int ActivityId => _activityId;

    /// <summary>Number of ProgressRecords written so far (Processing and Completed).</summary>
    public int RecordsWritten { get; private set; }

    /// <inheritdoc />
    public void Report(T value)
    {
        var info = _describe(value);
        lock (_gate)
        {
            if (_completed) return;
            if (!_clock.IsRunning) _clock.Start();
            var now = _clock.Elapsed;
            var percent = info.PercentComplete;
            var due = RecordsWritten == 0 || percent != _lastPercent || now - _lastWrite >= MinimumInterval;
            if (!due) return;

            var record = new ProgressRecord(_activityId, _activity, string.IsNullOrEmpty(info.Status) ? "..." : info.Status)
            {
                PercentComplete = percent,
                CurrentOperation = info.CurrentOperation,
                SecondsRemaining = EstimateSecondsRemaining(info, now),
            };
            _lastWrite = now;
            _lastPercent = percent;
            _lastStatus = info.Status;
            RecordsWritten++;
            _write(record);
        }
    }

    /// <summary>Writes the Completed record (once, and only if a record was written before).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            if (RecordsWritten == 0) return;
            RecordsWritten++;
            _write(new ProgressRecord(_activityId, _activity, _lastStatus ?? "Completed") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        }
    }

    private static int EstimateSecondsRemaining(ProgressInfo info, TimeSpan elapsed)
    {
        if (info.Completed is not { } done || info.Total is not { } total || done <= 0 || total <= 0 || done >= total) return -1;
        var remaining = elapsed.TotalSeconds * (total - done) / done;
        return remaining is > 0 and < int.MaxValue ? (int)Math.Ceiling(remaining) : -1;
    }
}
