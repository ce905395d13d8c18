using AlignedGen.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Files;

/// <summary>
/// A JSONL, CSV/TSV or Parquet file as an <see cref="IDataView"/> (AlignedGen's record readers underneath). Every cursor
/// reads the file again, in file order, in constant memory. Nulls read as "" (text), NaN (Double), 0 (Int64), false, empty vectors.
/// </summary>
internal sealed class RecordFileDataView : IDataView
{
    private readonly RecordFileLoadOptions _options;

    public RecordFileDataView(string path, RecordFileLoadOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _options = options ?? RecordFileLoadOptions.Default;
        Format = _options.Format ?? RecordFiles.FormatFromPath(Path);
        RecordSchema = _options.Schema ?? Infer();
        var builder = new DataViewSchema.Builder();
        foreach (var c in RecordSchema.Columns) builder.AddColumn(c.Name, TypeOf(c.Kind));
        Schema = builder.ToSchema();
    }

    public string Path { get; }

    public RecordFormat Format { get; }

    public RecordSchema RecordSchema { get; }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var c in columnsNeeded) active[c.Index] = true;
        return new RecordFileCursor(this, RecordFiles.OpenReader(Path, Format, _options.ReaderOptions), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    internal static DataViewType TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => TextDataViewType.Instance,
        ColumnKind.Integer => NumberDataViewType.Int64,
        ColumnKind.Number => NumberDataViewType.Double,
        ColumnKind.Boolean => BooleanDataViewType.Instance,
        ColumnKind.TextList => new VectorDataViewType(TextDataViewType.Instance),
        _ => new VectorDataViewType(NumberDataViewType.Double),
    };

    private RecordSchema Infer()
    {
        using var reader = RecordFiles.OpenReader(Path, Format, _options.ReaderOptions);
        IEnumerable<DataRow> Rows()
        {
            while (reader.Read() is { } row) yield return row;
        }
        try
        {
            return RecordSchema.Infer(Rows());
        }
        catch (InvalidOperationException e)
        {
            throw new DataFileException(Path, null, "has no records, so its columns cannot be inferred.", "add records, or pass RecordFileLoadOptions.Schema.", e);
        }
    }
}
