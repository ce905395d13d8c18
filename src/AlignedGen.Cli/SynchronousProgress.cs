namespace AlignedGen.Cli;

/// <summary>An IProgress that reports on the caller's thread at once (System.Progress posts to the thread pool, so a final report could arrive after the run).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
