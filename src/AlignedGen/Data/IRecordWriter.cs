namespace AlignedGen.Data;

/// <summary>
/// Writes records in batches to a JSONL, CSV/TSV or Parquet target. JSONL and CSV bytes are valid after every
/// <see cref="Flush"/>; a Parquet file is valid only after <see cref="IDisposable.Dispose"/> writes its footer.
/// </summary>
public interface IRecordWriter : IDisposable
{
    /// <summary>The file path (or stream description) used in errors.</summary>
    string TargetName { get; }

    /// <summary>The format being written.</summary>
    RecordFormat Format { get; }

    /// <summary>Rows written so far.</summary>
    long RowsWritten { get; }

    /// <summary>Writes a batch of rows (Parquet: one row group per call).</summary>
    void Write(IReadOnlyList<DataRow> rows);

    /// <summary>Pushes everything written so far to the operating system; with <paramref name="toDisk"/>, also to the disk (fsync).</summary>
    void Flush(bool toDisk);
}
