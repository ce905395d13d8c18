namespace AlignedGen.Data;

/// <summary>Options for <see cref="RecordFiles.OpenReader"/>. Immutable; validated on creation.</summary>
public sealed record RecordReaderOptions
{
    /// <summary>The defaults: format's own delimiter, no JSON list columns.</summary>
    public static RecordReaderOptions Default { get; } = new();

    private readonly char? _delimiter;
    private readonly IReadOnlyCollection<string> _jsonListColumns = Array.Empty<string>();

    /// <summary>CSV/TSV field delimiter; null means ',' for CSV and '\t' for TSV.</summary>
    public char? Delimiter
    {
        get => _delimiter;
        init => _delimiter = value is '"' or '\r' or '\n'
            ? throw new ArgumentException($"Delimiter '{value}' cannot be used: it is a quote or line break. Fix: use ',', ';', '\\t' or '|'.", nameof(Delimiter))
            : value;
    }

    /// <summary>CSV/TSV columns whose cells hold JSON arrays (as the CSV writer writes lists); they are read back as lists.</summary>
    public IReadOnlyCollection<string> JsonListColumns
    {
        get => _jsonListColumns;
        init => _jsonListColumns = value?.ToArray() ?? throw new ArgumentNullException(nameof(JsonListColumns));
    }
}
