namespace AlignedGen.Decoding;

/// <summary>Compares token-id lists by content (for finding rows that share a prompt).</summary>
internal sealed class TokenSequenceComparer : IEqualityComparer<IReadOnlyList<int>>
{
    public static TokenSequenceComparer Instance { get; } = new();

    public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.Count != y.Count) return false;
        for (int i = 0; i < x.Count; i++)
            if (x[i] != y[i]) return false;
        return true;
    }

    public int GetHashCode(IReadOnlyList<int> ids)
    {
        var hash = new HashCode();
        hash.Add(ids.Count);
        foreach (var id in ids) hash.Add(id);
        return hash.ToHashCode();
    }
}
