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

    // The JSON text each column was read from (JSONL readers), so untouched columns are written back byte for byte.
    private byte[]? _source;
    private List<SourceText>? _sourceText;

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

    private DataRow(List<string> names, List<object?> values, byte[]? source, List<SourceText>? sourceText)
    {
        _names = names;
        _values = values;
        _source = source;
        _sourceText = sourceText;
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
            if (i >= 0)
            {
                _values[i] = normalized;
                if (_sourceText is not null) _sourceText[i] = _sourceText[i] with { ValueLength = 0 };
            }
            else
            {
                _names.Add(column);
                _values.Add(normalized);
                _sourceText?.Add(default);
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
        _sourceText?.RemoveAt(i);
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
    public DataRow Clone() =>
        new(new List<string>(_names), new List<object?>(_values), _source, _sourceText is null ? null : new List<SourceText>(_sourceText));

    /// <summary>The row as one compact JSON object (columns read from JSON keep their original text).</summary>
    public override string ToString()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, DataValues.WriterOptions))
            JsonlRecordWriter.WriteRow(buffer, writer, this);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _names.Count; i++) yield return new KeyValuePair<string, object?>(_names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sets an already-normalized value (readers); a repeated name overwrites.</summary>
    internal void SetTrusted(string name, object? normalizedValue)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _values[i] = normalizedValue;
            if (_sourceText is not null) _sourceText[i] = default;
            return;
        }
        _names.Add(name);
        _values.Add(normalizedValue);
        _sourceText?.Add(default);
    }

    /// <summary>Appends a column read from JSON (JSONL reader): its value and where its key and value sit in <paramref name="source"/>.</summary>
    internal void AddFromSource(string name, object? normalizedValue, byte[] source, SourceText text)
    {
        if (_source is null)
        {
            _source = source;
            _sourceText = new List<SourceText>(8);
            for (var i = 0; i < _names.Count; i++) _sourceText.Add(default);
        }
        _names.Add(name);
        _values.Add(normalizedValue);
        _sourceText!.Add(text);
    }

    /// <summary>The JSON text of column <paramref name="index"/>'s key (with quotes) as read, when it was read from JSON.</summary>
    internal bool TryGetSourceName(int index, out ReadOnlySpan<byte> json)
    {
        var t = _sourceText is null ? default : _sourceText[index];
        json = t.NameLength > 0 ? _source.AsSpan(t.NameStart, t.NameLength) : default;
        return t.NameLength > 0;
    }

    /// <summary>The JSON text of column <paramref name="index"/>'s value as read, unless the value was read otherwise or changed since.</summary>
    internal bool TryGetSourceValue(int index, out ReadOnlySpan<byte> json)
    {
        var t = _sourceText is null ? default : _sourceText[index];
        json = t.ValueLength > 0 ? _source.AsSpan(t.ValueStart, t.ValueLength) : default;
        return t.ValueLength > 0;
    }

    /// <summary>Value at a column index (writers).</summary>
    internal object? ValueAt(int index) => _values[index];

    /// <summary>Where a column's key and value were in the JSON text a row was read from (lengths 0: not from source).</summary>
    internal readonly record struct SourceText(int NameStart, int NameLength, int ValueStart, int ValueLength);

    private int IndexOf(string column)
    {
        for (var i = 0; i < _names.Count; i++)
            if (string.Equals(_names[i], column, StringComparison.Ordinal)) return i;
        return -1;
    }
}
