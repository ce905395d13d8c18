namespace AlignedGen.Data;

/// <summary>
/// Reads records one at a time from a JSONL, CSV/TSV or Parquet source, in file order, in constant memory
/// (Parquet: one row group at a time).
/// </summary>
public interface IRecordReader : IDisposable
{
    /// <summary>The file path (or stream description) used in errors.</summary>
    string SourceName { get; }

    /// <summary>The format being read.</summary>
    RecordFormat Format { get; }

    /// <summary>Columns declared up front (CSV header, Parquet schema); null for JSONL, whose rows each carry their own keys.</summary>
    IReadOnlyList<string>? DeclaredColumns { get; }

    /// <summary>1-based line (JSONL; CSV: the line where the record starts) or row number (Parquet) of the record last returned or rejected.</summary>
    long LineNumber { get; }

    /// <summary>
    /// The next record, or null at the end. Throws <see cref="CorruptRecordException"/> for a record that cannot be parsed;
    /// when its CanContinue is true, calling Read again continues with the following record.
    /// </summary>
    DataRow? Read();
}
