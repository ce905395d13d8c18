namespace AlignedGen.Data;

/// <summary>One column of a <see cref="RecordSchema"/>: its name and type.</summary>
public sealed record RecordColumn
{
    /// <summary>A column; the name must be non-empty.</summary>
    public RecordColumn(string name, ColumnKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown column kind. Fix: use a ColumnKind value.");
        Name = name;
        Kind = kind;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Column type.</summary>
    public ColumnKind Kind { get; }
}
