using AlignedGen.Data;

namespace AlignedGen.ML;

/// <summary>Options of <c>LoadFromRecordFile</c>: format, reader settings and (optionally) the columns to expose. Immutable.</summary>
public sealed record RecordFileLoadOptions
{
    /// <summary>The defaults: format from the extension, columns and types inferred from the whole file.</summary>
    public static RecordFileLoadOptions Default { get; } = new();

    /// <summary>The format; null = from the extension (.jsonl, .ndjson, .csv, .tsv, .parquet).</summary>
    public RecordFormat? Format { get; init; }

    /// <summary>CSV/TSV delimiter and JSON-list columns.</summary>
    public RecordReaderOptions? ReaderOptions { get; init; }

    /// <summary>
    /// The columns and their kinds; null = inferred by reading the whole file once (<see cref="RecordSchema.Infer"/>).
    /// Text → String, Integer → Int64, Number → Double, Boolean → Boolean, TextList/NumberList → variable-length vectors.
    /// </summary>
    public RecordSchema? Schema { get; init; }
}
