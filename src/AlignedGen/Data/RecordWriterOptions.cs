namespace AlignedGen.Data;

/// <summary>Options for <see cref="RecordFiles.CreateWriter"/>. Immutable; validated on creation.</summary>
public sealed record RecordWriterOptions
{
    /// <summary>The defaults: format's own delimiter, columns and schema taken from the first batch.</summary>
    public static RecordWriterOptions Default { get; } = new();

    private readonly char? _delimiter;
    private readonly IReadOnlyList<string>? _columns;

    /// <summary>CSV/TSV field delimiter; null means ',' for CSV and '\t' for TSV.</summary>
    public char? Delimiter
    {
        get => _delimiter;
        init => _delimiter = value is '"' or '\r' or '\n'
            ? throw new ArgumentException($"Delimiter '{value}' cannot be used: it is a quote or line break. Fix: use ',', ';', '\\t' or '|'.", nameof(Delimiter))
            : value;
    }

    /// <summary>
    /// CSV/TSV header, in order; null means the columns of the first batch in order of appearance. A later row with a
    /// column outside the header is an error (rows missing a column get an empty cell).
    /// </summary>
    public IReadOnlyList<string>? Columns
    {
        get => _columns;
        init
        {
            if (value is not null)
            {
                if (value.Any(string.IsNullOrEmpty))
                    throw new ArgumentException("Columns contains an empty name. Fix: give every column a name.", nameof(Columns));
                var duplicate = value.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                    throw new ArgumentException($"Columns lists '{duplicate.Key}' twice. Fix: list each column once.", nameof(Columns));
            }
            _columns = value?.ToArray();
        }
    }

    /// <summary>Parquet schema; null means inferred from the first batch (see <see cref="RecordSchema.Infer"/>).</summary>
    public RecordSchema? Schema { get; init; }

    /// <summary>CSV/TSV: write the header row (false when appending to a file that already has one).</summary>
    public bool WriteHeader { get; init; } = true;
}
