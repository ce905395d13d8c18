namespace AlignedGen.Data;

/// <summary>A tabular file format that <see cref="RecordFiles"/> reads and writes.</summary>
public enum RecordFormat
{
    /// <summary>JSON Lines: one JSON object per line (.jsonl, .ndjson).</summary>
    Jsonl,

    /// <summary>Comma-separated values with a header row, RFC 4180 quoting (.csv).</summary>
    Csv,

    /// <summary>Tab-separated values with a header row, RFC 4180 quoting (.tsv, .tab).</summary>
    Tsv,

    /// <summary>Apache Parquet (.parquet).</summary>
    Parquet,
}
