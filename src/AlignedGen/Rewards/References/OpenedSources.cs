namespace AlignedGen.Rewards;

/// <summary>
/// The rewards, embedders and models one job opened: equal references open once (the same folder as guide and judge,
/// a component shared by two composites), and <see cref="Dispose"/> releases everything loaded, last first. Code-built
/// objects that references point to are used, never disposed. Not thread-safe; open before sharing.
/// </summary>
public sealed class OpenedSources : IDisposable
{
    private readonly List<IDisposable> _owned = new();
    private readonly Dictionary<RewardReference, IRewardSource> _rewards = new();
    private readonly Dictionary<EmbedderReference, ISentenceEmbedder> _embedders = new();

    /// <summary>The reward <paramref name="reference"/> names, loaded once per equal reference.</summary>
    public IRewardSource Open(RewardReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!_rewards.TryGetValue(reference, out var source)) _rewards[reference] = source = reference.Load(this);
        return source;
    }

    /// <summary>The reward <paramref name="reference"/> names, or null when it is null.</summary>
    public IRewardSource? OpenOrNull(RewardReference? reference) => reference is null ? null : Open(reference);

    /// <summary>The embedder <paramref name="reference"/> names, loaded once per equal reference.</summary>
    public ISentenceEmbedder Open(EmbedderReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!_embedders.TryGetValue(reference, out var embedder)) _embedders[reference] = embedder = reference.Load(this);
        return embedder;
    }

    /// <summary>
    /// The embedder to measure coherence with when none was named: the one inside a proxy reward among
    /// <paramref name="rewards"/> (no second MiniLM load), else the packaged all-MiniLM-L6-v2.
    /// </summary>
    public ISentenceEmbedder OpenDefaultEmbedder(IEnumerable<IRewardSource?> rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        return rewards.OfType<ProxyRewardSource>().Select(p => p.Embedder).FirstOrDefault(e => e is not null)
            ?? Open(EmbedderReference.MiniLm());
    }

    /// <summary>Returns <paramref name="value"/> and disposes it with this scope (a model the job loaded itself).</summary>
    public T Own<T>(T value) where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(value);
        _owned.Add(value);
        return value;
    }

    /// <summary>Opens one value in a scope of its own, returned as the handle that disposes the scope (nothing leaks when opening fails).</summary>
    internal static Owned<T> OpenAlone<T>(Func<OpenedSources, T> open) where T : class
    {
        var scope = new OpenedSources();
        try
        {
            return new Owned<T>(open(scope), scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>Disposes what was loaded, last first.</summary>
    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        _rewards.Clear();
        _embedders.Clear();
    }
}
