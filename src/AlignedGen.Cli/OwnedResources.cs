namespace AlignedGen.Cli;

/// <summary>What a command opened (models, reward sources, embedders); disposed in reverse order when the command ends.</summary>
public sealed class OwnedResources : IDisposable
{
    private readonly List<IDisposable> _items = new();

    public T Track<T>(T value)
    {
        if (value is IDisposable d && !_items.Contains(d)) _items.Add(d);
        return value;
    }

    public void Dispose()
    {
        for (var i = _items.Count - 1; i >= 0; i--) _items[i].Dispose();
        _items.Clear();
    }
}
