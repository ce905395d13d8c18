namespace AlignedGen.Rewards;

/// <summary>
/// A value opened from a reference (<see cref="RewardReference.Open"/>, <see cref="EmbedderReference.Open"/>) with what
/// was loaded for it: disposing the handle releases what was loaded (models, sessions), never code-built objects that
/// the reference only pointed to.
/// </summary>
public sealed class Owned<T> : IDisposable where T : class
{
    private IDisposable? _owner;

    internal Owned(T value, IDisposable? owner)
    {
        Value = value;
        _owner = owner;
    }

    /// <summary>The opened value; do not use it after <see cref="Dispose"/>.</summary>
    public T Value { get; }

    /// <summary>Releases what was loaded for the value.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _owner, null)?.Dispose();
    }
}
