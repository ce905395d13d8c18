using System.Collections;
using System.Globalization;

namespace AlignedGen.Data;

/// <summary>
/// One record: an ordered map from column name to a JSON-compatible value. Values are null, string, bool, long, double,
/// string[] (list of strings), double[] (list of numbers) or <see cref="JsonFragment"/>; other CLR values are converted
/// on assignment (int → long, float → double, IEnumerable&lt;string&gt; → string[]) or rejected.
/// </summary>
public sealed class DataRow : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<string> _names;
    private readonly List<object?> _values;

    /// <summary>An empty row.</summary>
    public DataRow()
    {
        _names = new List<string>();
        _values = new List<object?>();
    }

    /// <summary>A row with the given columns, in order.</summary>
    public DataRow(IEnumerable<KeyValuePair<string, object?>> columns) : this()
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var (name, value) in columns) this[name] = value;
    }

    private DataRow(List<string> names, List<object?> values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>Number of columns.</summary>
    public int Count => _names.Count;

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> ColumnNames => _names;

    /// <summary>Gets a value (throws <see cref="KeyNotFoundException"/> listing the columns when absent) or sets one (appends new columns at the end).</summary>
    public object? this[string column]
    {
        get
        {
            var i = IndexOf(column);
            if (i < 0)
                throw new KeyNotFoundException($"Column '{column}' is not in this row. Columns present: {string.Join(", ", _names)}.");
            return _values[i];
        }
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(column);
            var normalized = DataValues.Normalize(column, value);
            var i = IndexOf(column);
            if (i >= 0) _values[i] = normalized;
            else
            {
                _names.Add(column);
                _values.Add(normalized);
            }
        }
    }

    /// <summary>True when the row has the column (its value may be null).</summary>
    public bool Contains(string column) => IndexOf(column) >= 0;

    /// <summary>Gets a value when the column is present.</summary>
    public bool TryGetValue(string column, out object? value)
    {
        var i = IndexOf(column);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Removes a column; false when it was absent.</summary>
    public bool Remove(string column)
    {
        var i = IndexOf(column);
        if (i < 0) return false;
        _names.RemoveAt(i);
        _values.RemoveAt(i);
        return true;
    }

    /// <summary>The canonical text of a column: strings as-is, numbers invariant round-trip, bools lowercase, null "", lists as JSON; null when absent.</summary>
    public string? GetText(string column) => TryGetValue(column, out var v) ? DataValues.ToText(v) : null;

    /// <summary>A column as a number: a number value, or text that parses as an invariant number; null when absent, null or not numeric.</summary>
    public double? GetNumber(string column)
    {
        if (!TryGetValue(column, out var v)) return null;
        return v switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>A copy whose later changes do not affect this row (list values are immutable by convention and shared).</summary>
    public DataRow Clone() => new(new List<string>(_names), new List<object?>(_values));

    /// <summary>The row as one compact JSON object.</summary>
    public override string ToString()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, DataValues.WriterOptions))
            JsonlRecordWriter.WriteRow(writer, this);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _names.Count; i++) yield return new KeyValuePair<string, object?>(_names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sets an already-normalized value (readers); a repeated name overwrites, like JSON's last-wins.</summary>
    internal void SetTrusted(string name, object? normalizedValue)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _values[i] = normalizedValue;
            return;
        }
        _names.Add(name);
        _values.Add(normalizedValue);
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < _names.Count; i++)
            if (string.Equals(_names[i], column, StringComparison.Ordinal)) return i;
        return -1;
    }
}
