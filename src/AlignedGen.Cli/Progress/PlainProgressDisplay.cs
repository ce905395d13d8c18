namespace AlignedGen.Cli.Progress;

/// <summary>
/// Progress for logs and CI (stderr redirected): no control characters, one line at most every
/// <see cref="DefaultInterval"/>, and a last line when the run ends, like pip or cargo without a terminal:
/// <c>relabel: 1,200/4,000 rows (30%), 56 rows/s, ETA 50s</c>.
/// </summary>
public sealed class PlainProgressDisplay : IProgressDisplay
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _error;
    private readonly string _activity;
    private readonly string _unit;
    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    private ProgressSnapshot? _last;
    private ProgressSnapshot? _written;

    public PlainProgressDisplay(TextWriter error, string activity, string unit, TimeSpan interval)
    {
        _error = error;
        _activity = activity;
        _unit = unit;
        _interval = interval;
    }

    public void Report(ProgressSnapshot value)
    {
        lock (_gate)
        {
            _last = value;
            if (_written is { } written && value.Elapsed - written.Elapsed < _interval) return;
            Write(value);
        }
    }

    /// <summary>Writes the final state unless the last line written already says it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_last is not null && (_written is null || _written.Done != _last.Done || _written.Total != _last.Total)) Write(_last);
            _last = null;
        }
    }

    /// <summary>One progress line, as written.</summary>
    public static string Line(string activity, string unit, ProgressSnapshot s)
    {
        var line = $"{activity}: {ProgressText.Count(s.Done, s.Total, unit)}";
        if (s.Total is not null) line += $" ({ProgressText.Percent(s.Done, s.Total)})";
        line += $", {ProgressText.Rate(s.Rate, unit)}, {ProgressText.Duration(s.Elapsed)} elapsed";
        if (s.Remaining is { } left && s.Done < s.Total) line += $", ETA {ProgressText.Duration(left)}";
        if (!string.IsNullOrEmpty(s.Detail)) line += $" [{s.Detail}]";
        return line;
    }

    private void Write(ProgressSnapshot value)
    {
        _error.WriteLine(Line(_activity, _unit, value));
        _error.Flush();
        _written = value;
    }
}
