using Spectre.Console;
using Spectre.Console.Rendering;

namespace AlignedGen.Cli.Progress;

/// <summary>
/// The live bar on an interactive terminal, drawn by Spectre.Console (it measures the terminal, redraws in place on
/// its own refresh thread, degrades when the terminal cannot do colour, and restores the cursor at the end):
/// <c>relabel ━━━━━━━━━━━━━╺━━━━━━━ 62% 2,480/4,000 rows · 56 rows/s · ETA 27s</c>.
/// Reports can come from any thread; the bar shows the newest.
/// </summary>
public sealed class LiveProgressDisplay : IProgressDisplay
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _ready = new();
    private readonly Task _runner;
    private ProgressTask? _task;
    private int _disposed;

    public LiveProgressDisplay(TextWriter error, string activity, string unit)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
        });
        var progress = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new StatsColumn(unit), new SpinnerColumn());
        _runner = progress.StartAsync(async context =>
        {
            _task = context.AddTask(Markup.Escape(activity), autoStart: true, maxValue: 1);
            _task.IsIndeterminate = true;
            _ready.Set();
            await _finished.Task.ConfigureAwait(false);
            context.Refresh();
        });
        _ready.Wait();
    }

    public void Report(ProgressSnapshot value)
    {
        var task = _task!;
        task.Tag = value;
        task.IsIndeterminate = value.Total is null;
        task.MaxValue = Math.Max(1, value.Total ?? value.Done);
        task.Value = Math.Min(value.Done, task.MaxValue);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_task is { } task && task.Tag is ProgressSnapshot { Total: null } last)
        {
            // Unknown total: the run is over, so what was done is the whole.
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, last.Done);
            task.Value = task.MaxValue;
        }
        _finished.TrySetResult();
        _runner.GetAwaiter().GetResult();
        _ready.Dispose();
    }

    /// <summary>Rows done / total, rate and ETA from the last snapshot, in the same words as the plain lines.</summary>
    private sealed class StatsColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            if (task.Tag is not ProgressSnapshot s) return new Text("starting…");
            var text = $"{ProgressText.Count(s.Done, s.Total, unit)} · {ProgressText.Rate(s.Rate, unit)}";
            text += s.Remaining is { } left && s.Done < s.Total ? $" · ETA {ProgressText.Duration(left)}" : $" · {ProgressText.Duration(s.Elapsed)}";
            if (!string.IsNullOrEmpty(s.Detail)) text += $" · {s.Detail}";
            return new Text(text);
        }
    }
}
