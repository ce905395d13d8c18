using AlignedGen.ML.Files;
using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>Record files (JSONL, CSV/TSV, Parquet, via AlignedGen's relabeling readers and writers) on <c>mlContext.Data</c>.</summary>
public static class RecordFileCatalog
{
    /// <summary>
    /// A JSONL, CSV/TSV or Parquet file as a lazy <see cref="IDataView"/> (re-read by every cursor). Column types are
    /// inferred from the file unless <see cref="RecordFileLoadOptions.Schema"/> names them. CSV/TSV also load with ML.NET's own LoadFromTextFile.
    /// </summary>
    public static IDataView LoadFromRecordFile(this DataOperationsCatalog catalog, string path, RecordFileLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RecordFileDataView(path, options);
    }

    /// <summary>Writes <paramref name="data"/> (every visible column, or the ones named) to a JSONL, CSV/TSV or Parquet file; returns the rows written.</summary>
    public static long SaveAsRecordFile(this DataOperationsCatalog catalog, IDataView data, string path, RecordFileSaveOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return RecordFileSaver.Save(data, path, options, cancellationToken);
    }
}
