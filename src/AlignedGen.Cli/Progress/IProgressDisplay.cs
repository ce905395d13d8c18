namespace AlignedGen.Cli.Progress;

/// <summary>
/// Shows a run's progress on stderr: <see cref="Report"/> from any thread as work completes, <see cref="Dispose"/> when it
/// ends (the display leaves its last state on screen and releases the terminal before the command writes its summary).
/// </summary>
public interface IProgressDisplay : IProgress<ProgressSnapshot>, IDisposable;
