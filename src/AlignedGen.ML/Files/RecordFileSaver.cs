using AlignedGen.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Files;

/// <summary>
/// Writes an <see cref="IDataView"/> to a JSONL, CSV/TSV or Parquet file with AlignedGen's record writers, one cursor pass,
/// through <see cref="OutputFile"/>: the file appears complete or not at all (a failed pass leaves the old file unchanged).
/// </summary>
internal static class RecordFileSaver
{
    public static long Save(IDataView data, string path, RecordFileSaveOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= RecordFileSaveOptions.Default;
        var columns = options.Columns is null
            ? data.Schema.Where(c => !c.IsHidden).ToArray()
            : options.Columns.Select(n => data.Schema.GetColumnOrNull(n) ?? throw new ArgumentException(
                $"Column '{n}' is not in the data. Columns present: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(options))).ToArray();
        foreach (var c in columns) CheckWritable(c);
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => ValueReader(cursor, c)).ToArray();
        using var writer = RecordFiles.CreateAtomicWriter(path, options.Format, options.WriterOptions);
        var batch = new List<DataRow>(options.BatchSize);
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new DataRow();
            for (int i = 0; i < columns.Length; i++) row[columns[i].Name] = readers[i]();
            batch.Add(row);
            if (batch.Count == options.BatchSize)
            {
                writer.Write(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0) writer.Write(batch);
        writer.Commit();
        return writer.RowsWritten;
    }

    private static void CheckWritable(DataViewSchema.Column c)
    {
        var item = c.Type is VectorDataViewType v ? v.ItemType : c.Type;
        if (item is TextDataViewType or BooleanDataViewType or NumberDataViewType or KeyDataViewType) return;
        throw new NotSupportedException($"Column '{c.Name}' has type {c.Type}, which a record file cannot hold (text, numbers, booleans, keys and vectors of them can). Fix: leave it out with RecordFileSaveOptions.Columns.");
    }

    private static Func<object?> ValueReader(DataViewRowCursor cursor, DataViewSchema.Column c)
    {
        if (c.Type is VectorDataViewType v)
        {
            if (v.ItemType is TextDataViewType)
            {
                var g = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(c);
                VBuffer<ReadOnlyMemory<char>> buffer = default;
                return () => { g(ref buffer); return buffer.DenseValues().Select(m => m.ToString()).ToArray(); };
            }
            return v.ItemType.RawType switch
            {
                var t when t == typeof(float) => Vector<float>(cursor, c, f => DataFloat(f)),
                var t when t == typeof(double) => Vector<double>(cursor, c, d => d),
                var t when t == typeof(int) => Vector<int>(cursor, c, i => i),
                var t when t == typeof(long) => Vector<long>(cursor, c, l => l),
                var t when t == typeof(uint) => Vector<uint>(cursor, c, u => u),
                var t when t == typeof(bool) => Vector<bool>(cursor, c, b => b ? 1 : 0),
                _ => Vector<double>(cursor, c, d => d),
            };
        }
        return c.Type.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => Scalar<ReadOnlyMemory<char>>(cursor, c, m => m.ToString()),
            var t when t == typeof(float) => Scalar<float>(cursor, c, f => float.IsNaN(f) ? null : DataFloat(f)),
            var t when t == typeof(double) => Scalar<double>(cursor, c, d => double.IsNaN(d) ? null : d),
            var t when t == typeof(bool) => Scalar<bool>(cursor, c, b => b),
            var t when t == typeof(sbyte) => Scalar<sbyte>(cursor, c, x => (long)x),
            var t when t == typeof(byte) => Scalar<byte>(cursor, c, x => (long)x),
            var t when t == typeof(short) => Scalar<short>(cursor, c, x => (long)x),
            var t when t == typeof(ushort) => Scalar<ushort>(cursor, c, x => (long)x),
            var t when t == typeof(int) => Scalar<int>(cursor, c, x => (long)x),
            var t when t == typeof(uint) => Scalar<uint>(cursor, c, x => (long)x),
            var t when t == typeof(long) => Scalar<long>(cursor, c, x => x),
            var t when t == typeof(ulong) => Scalar<ulong>(cursor, c, x => x),
            _ => throw new NotSupportedException($"Column '{c.Name}' has type {c.Type}, which a record file cannot hold."),
        };
    }

    /// <summary>A float as the double nearest its shortest text (0.3f is written 0.3).</summary>
    private static double DataFloat(float f) => float.IsFinite(f) ? double.Parse(f.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) : f;

    private static Func<object?> Scalar<T>(DataViewRowCursor cursor, DataViewSchema.Column c, Func<T, object?> convert)
    {
        var g = cursor.GetGetter<T>(c);
        T value = default!;
        return () => { g(ref value); return convert(value); };
    }

    private static Func<object?> Vector<T>(DataViewRowCursor cursor, DataViewSchema.Column c, Func<T, double> convert)
    {
        var g = cursor.GetGetter<VBuffer<T>>(c);
        VBuffer<T> buffer = default;
        return () => { g(ref buffer); return buffer.DenseValues().Select(convert).ToArray(); };
    }
}
