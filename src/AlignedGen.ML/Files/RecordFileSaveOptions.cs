using AlignedGen.Data;

namespace AlignedGen.ML;

/// <summary>Options of <c>SaveAsRecordFile</c>: format, columns, rows per write. Validated on creation.</summary>
public sealed record RecordFileSaveOptions
{
    private readonly int _batchSize = 256;

    /// <summary>The defaults: format from the extension, every visible column, 256 rows per write.</summary>
    public static RecordFileSaveOptions Default { get; } = new();

    /// <summary>The format; null = from the extension.</summary>
    public RecordFormat? Format { get; init; }

    /// <summary>Columns to write, in order; null = every visible column of the data view.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Rows per write (a Parquet row group each).</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"Batch size must be at least 1, got {value}.");
    }

    /// <summary>CSV/TSV delimiter, Parquet schema (null = inferred from the first batch).</summary>
    public RecordWriterOptions? WriterOptions { get; init; }
}
