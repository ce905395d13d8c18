namespace AlignedGen.Data;

/// <summary>Options for <see cref="RecordFiles.OpenReader"/>. Immutable; validated on creation.</summary>
public sealed record RecordReaderOptions
{
    /// <summary>The defaults: format's own delimiter, no JSON list columns.</summary>
    public static RecordReaderOptions Default { get; } = new();

    private readonly char? _delimiter;
    private readonly IReadOnlyCollection<string> _jsonListColumns = Array.Empty<string>();

    /// <summary>CSV/TSV field delimiter (an ASCII character); null means ',' for CSV and '\t' for TSV.</summary>
    public char? Delimiter
    {
        get => _delimiter;
        init => _delimiter = value is '"' or '\r' or '\n' or > '\x7F'
            ? throw new ArgumentException($"Delimiter '{value}' cannot be used: it is a quote, a line break or not ASCII. Fix: use ',', ';', '\\t' or '|'.", nameof(Delimiter))
            : value;
    }

    /// <summary>False (default): invalid UTF-8 is a record error. True: it is replaced by U+FFFD.</summary>
    public bool ReplaceInvalidUtf8 { get; init; }

    /// <summary>CSV/TSV columns whose cells hold JSON arrays (as the CSV writer writes lists); they are read back as lists.</summary>
    public IReadOnlyCollection<string> JsonListColumns
    {
        get => _jsonListColumns;
        init => _jsonListColumns = value?.ToArray() ?? throw new ArgumentNullException(nameof(JsonListColumns));
    }
}
