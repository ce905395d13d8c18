using Parquet;
using Parquet.Schema;

namespace AlignedGen.Data;

/// <summary>Writes one column of a row group: packs the values of a batch and computes definition/repetition levels.</summary>
internal static class ParquetColumnWriter
{
    internal static Task WriteAsync(ParquetRowGroupWriter group, DataField field, RecordColumn column, IReadOnlyList<DataRow> rows, string target, long rowsBefore)
    {
        switch (column.Kind)
        {
            case ColumnKind.Text:
                return WriteFlat(group, field, rows, column, target, rowsBefore, v => DataValues.ToText(v).AsMemory());
            case ColumnKind.Integer:
                return WriteFlat(group, field, rows, column, target, rowsBefore, v => v switch
                {
                    long l => l,
                    double d when d == Math.Floor(d) && d >= long.MinValue && d < 9.2233720368547758E18 => (long)d,
                    _ => throw Mismatch(target, rowsBefore, column, v),
                });
            case ColumnKind.Number:
                return WriteFlat(group, field, rows, column, target, rowsBefore, v => v switch
                {
                    long l => (double)l,
                    double d => d,
                    _ => throw Mismatch(target, rowsBefore, column, v),
                });
            case ColumnKind.Boolean:
                return WriteFlat(group, field, rows, column, target, rowsBefore, v => v is bool b ? b : throw Mismatch(target, rowsBefore, column, v));
            case ColumnKind.TextList:
                return WriteList(group, field, rows, column, target, rowsBefore, v => v switch
                {
                    string[] s => s.Select(x => x.AsMemory()).ToArray(),
                    double[] { Length: 0 } => Array.Empty<ReadOnlyMemory<char>>(),
                    _ => throw Mismatch(target, rowsBefore, column, v),
                });
            default:
                return WriteList(group, field, rows, column, target, rowsBefore, v => v switch
                {
                    double[] d => d,
                    string[] { Length: 0 } => Array.Empty<double>(),
                    _ => throw Mismatch(target, rowsBefore, column, v),
                });
        }
    }

    private static async Task WriteFlat<T>(ParquetRowGroupWriter group, DataField field, IReadOnlyList<DataRow> rows, RecordColumn column,
        string target, long rowsBefore, Func<object, T> convert) where T : struct
    {
        var values = new List<T>(rows.Count);
        var def = new int[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].TryGetValue(column.Name, out var v);
            if (v is null) continue;
            try
            {
                values.Add(convert(v));
            }
            catch (DataFileException ex) when (ex.LineNumber is null)
            {
                throw Mismatch(target, rowsBefore + r, column, v);
            }
            def[r] = 1;
        }
        await group.WriteAllPartsAsync<T>(field, values.ToArray(), def, null, default);
    }

    private static async Task WriteList<T>(ParquetRowGroupWriter group, DataField item, IReadOnlyList<DataRow> rows, RecordColumn column,
        string target, long rowsBefore, Func<object, T[]> convert) where T : struct
    {
        // Levels for an optional list of optional items: 0 null list, 1 empty list, 3 an item (2 would be a null item).
        var values = new List<T>();
        var def = new List<int>();
        var rep = new List<int>();
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].TryGetValue(column.Name, out var v);
            if (v is null)
            {
                def.Add(0);
                rep.Add(0);
                continue;
            }
            T[] items;
            try
            {
                items = convert(v);
            }
            catch (DataFileException ex) when (ex.LineNumber is null)
            {
                throw Mismatch(target, rowsBefore + r, column, v);
            }
            if (items.Length == 0)
            {
                def.Add(1);
                rep.Add(0);
                continue;
            }
            for (var i = 0; i < items.Length; i++)
            {
                values.Add(items[i]);
                def.Add(item.MaxDefinitionLevel);
                rep.Add(i == 0 ? 0 : 1);
            }
        }
        await group.WriteAllPartsAsync<T>(item, values.ToArray(), def.ToArray(), rep.ToArray(), default);
    }

    private static DataFileException Mismatch(string target, long row, RecordColumn column, object? value) =>
        new(target, null,
            $"row {row + 1}: column '{column.Name}' holds {DataValues.KindName(value)}, but the Parquet column is {column.Kind}.",
            "pass RecordWriterOptions.Schema with a kind that fits every row (Text fits all), or write JSONL.");
}
