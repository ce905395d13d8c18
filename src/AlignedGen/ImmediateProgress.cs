namespace AlignedGen;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back at once on the reporting thread (<see cref="Progress{T}"/> posts to the
/// thread pool when there is no synchronization context, so console reports can arrive out of order).
/// </summary>
public sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Action<T> _report = report ?? throw new ArgumentNullException(nameof(report));

    /// <summary>Calls the callback with <paramref name="value"/>.</summary>
    public void Report(T value) => _report(value);
}
