using System.Globalization;
using Parquet.Data;
using Parquet.Schema;

namespace AlignedGen.Data;

/// <summary>Turns Parquet column chunks (packed values + definition/repetition levels) into data values per row.</summary>
internal static class ParquetValues
{
    /// <summary>The non-null values of a column chunk, converted to data values, in order.</summary>
    internal static object?[] Extract(RawColumnData raw) => raw switch
    {
        RawColumnData<ReadOnlyMemory<char>> c => Map(c.Values, v => v.ToString()),
        RawColumnData<bool> c => Map(c.Values, v => v),
        RawColumnData<long> c => Map(c.Values, v => v),
        RawColumnData<int> c => Map(c.Values, v => (long)v),
        RawColumnData<short> c => Map(c.Values, v => (long)v),
        RawColumnData<sbyte> c => Map(c.Values, v => (long)v),
        RawColumnData<byte> c => Map(c.Values, v => (long)v),
        RawColumnData<ushort> c => Map(c.Values, v => (long)v),
        RawColumnData<uint> c => Map(c.Values, v => (long)v),
        RawColumnData<ulong> c => Map(c.Values, v => v <= long.MaxValue ? (long)v : (object)(double)v),
        RawColumnData<double> c => Map(c.Values, v => v),
        RawColumnData<float> c => Map(c.Values, v => DataValues.FloatToDouble(v)),
        RawColumnData<decimal> c => Map(c.Values, v => (double)v),
        RawColumnData<DateTime> c => Map(c.Values, v => v.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<DateTimeOffset> c => Map(c.Values, v => v.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<DateOnly> c => Map(c.Values, v => v.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<TimeOnly> c => Map(c.Values, v => v.ToString("O", CultureInfo.InvariantCulture)),
        RawColumnData<TimeSpan> c => Map(c.Values, v => v.ToString("c", CultureInfo.InvariantCulture)),
        RawColumnData<Guid> c => Map(c.Values, v => v.ToString()),
        RawColumnData<ReadOnlyMemory<byte>> c => Map(c.Values, v => Convert.ToBase64String(v.Span)),
        _ => throw new NotSupportedException($"Parquet column type {raw.GetType().GenericTypeArguments.FirstOrDefault()?.Name} is not supported."),
    };

    private static object?[] Map<T>(Span<T> values, Func<T, object?> convert)
    {
        var result = new object?[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = convert(values[i]);
        return result;
    }

    /// <summary>One value per row of a non-repeated column.</summary>
    internal static object?[] Flat(RawColumnData raw, DataField field, object?[] values, int rows)
    {
        var result = new object?[rows];
        if (field.MaxDefinitionLevel == 0)
        {
            Array.Copy(values, result, rows);
            return result;
        }
        var def = raw.DefinitionLevels;
        var next = 0;
        for (var r = 0; r < rows; r++)
            result[r] = def[r] == field.MaxDefinitionLevel ? values[next++] : null;
        return result;
    }

    /// <summary>One list per row of a repeated column (a LIST-annotated column, or a legacy repeated primitive).</summary>
    internal static object?[] Lists(RawColumnData raw, DataField item, object?[] values, int rows, ListField? list)
    {
        var def = raw.DefinitionLevels;
        var rep = raw.RepetitionLevels;
        var max = item.MaxDefinitionLevel;
        // Definition level at which the repeated group holds an entry; below it the list is empty (one below) or null.
        var entryLevel = list is null ? max : (list.IsNullable ? 1 : 0) + 1;
        var numeric = item.ClrType != typeof(ReadOnlyMemory<char>) && item.ClrType != typeof(string);
        var result = new object?[rows];
        var row = -1;
        List<object?>? current = null;
        var nextValue = 0;
        for (var i = 0; i < def.Length; i++)
        {
            if (rep[i] == 0)
            {
                if (row >= 0) result[row] = Finish(current, numeric);
                row++;
                if (row >= rows) break;
                current = def[i] >= entryLevel - 1 || list is null ? new List<object?>() : null;
                if (def[i] < entryLevel) continue;
            }
            if (def[i] == max) current!.Add(values[nextValue++]);
            else if (def[i] >= entryLevel) current!.Add(null);
        }
        if (row >= 0 && row < rows) result[row] = Finish(current, numeric);
        return result;
    }

    private static object? Finish(List<object?>? items, bool numeric)
    {
        if (items is null) return null;
        if (items.Count == 0) return numeric ? Array.Empty<double>() : Array.Empty<string>();
        if (items.All(v => v is string)) return items.Cast<string>().ToArray();
        if (items.All(v => v is long or double)) return items.Select(v => v is long l ? l : (double)v!).ToArray();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, DataValues.WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var v in items) DataValues.WriteJson(writer, v);
            writer.WriteEndArray();
        }
        return JsonFragment.FromTrustedJson(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
