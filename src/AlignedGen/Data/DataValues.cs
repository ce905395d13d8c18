using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// The value kinds a <see cref="DataRow"/> holds and their conversions: normalisation of CLR values, the canonical text
/// (used for CSV cells and row hashes) and JSON reading/writing.
/// Kinds: null, string, bool, long, double, string[] (list of strings), double[] (list of numbers), <see cref="JsonFragment"/>.
/// </summary>
internal static class DataValues
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Converts a CLR value to one of the supported kinds; throws naming the column for anything else.</summary>
    internal static object? Normalize(string column, object? value)
    {
        switch (value)
        {
            case null: return null;
            case string or bool or long or double or JsonFragment: return value;
            case int i: return (long)i;
            case short s: return (long)s;
            case byte b: return (long)b;
            case sbyte sb: return (long)sb;
            case uint ui: return (long)ui;
            case ushort us: return (long)us;
            case ulong ul: return ul <= long.MaxValue ? (long)ul : (double)ul;
            case float f: return FloatToDouble(f);
            case decimal m: return (double)m;
            case char c: return c.ToString();
            case string[] sa: return (string[])sa.Clone();
            case double[] da: return (double[])da.Clone();
            case float[] fa: return fa.Select(FloatToDouble).ToArray();
            case IEnumerable<string> se: return se.ToArray();
            case IEnumerable<double> de: return de.ToArray();
            case IEnumerable<float> fe: return fe.Select(FloatToDouble).ToArray();
            case IEnumerable<long> le: return le.Select(x => (double)x).ToArray();
            case IEnumerable<int> ie: return ie.Select(x => (double)x).ToArray();
            case JsonElement je: return FromJson(je);
        }
        throw new ArgumentException(
            $"Column '{column}': a value of type {value.GetType().Name} cannot be stored in a data row. " +
            "Fix: use string, bool, a whole number, a floating-point number, a list of strings, a list of numbers, null or JsonFragment.",
            nameof(value));
    }

    /// <summary>The double nearest to the float's shortest decimal text: 0.3f becomes 0.3, not 0.30000001192092896.</summary>
    internal static double FloatToDouble(float f) =>
        float.IsFinite(f) ? double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : f;

    /// <summary>The canonical text of a value: strings as-is, numbers invariant round-trip, bools lowercase, null empty, lists as JSON.</summary>
    internal static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        JsonFragment f => f.Json,
        string[] or double[] => ToJson(value),
        _ => throw new InvalidOperationException($"Unsupported data value type {value.GetType().Name}."),
    };

    /// <summary>Serializes one value as compact JSON.</summary>
    internal static string ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteJson(writer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: WriteDouble(writer, d); break;
            case JsonFragment f: writer.WriteRawValue(f.Json, skipInputValidation: true); break;
            case string[] sa:
                writer.WriteStartArray();
                foreach (var s in sa) writer.WriteStringValue(s);
                writer.WriteEndArray();
                break;
            case double[] da:
                writer.WriteStartArray();
                foreach (var d in da) WriteDouble(writer, d);
                writer.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"Unsupported data value type {value.GetType().Name}.");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (!double.IsFinite(d))
            throw new ArgumentException($"{d} cannot be written as JSON: JSON has no NaN or infinity. Fix: check the producer of this value.");
        // Integral doubles keep a ".0" so that they read back as numbers, not integers (like Python's json).
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny('.', 'E', 'e') < 0) text += ".0";
        writer.WriteRawValue(text, skipInputValidation: true);
    }

    /// <summary>Converts a parsed JSON value to a data value.</summary>
    internal static object? FromJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number:
                // Integers beyond 64 bits keep their digits as JSON text rather than becoming a rounded double.
                if (e.TryGetInt64(out var l)) return l;
                var raw = e.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0 && e.TryGetDouble(out var d) && double.IsFinite(d)) return d;
                return JsonFragment.FromTrustedJson(raw);
            case JsonValueKind.Array:
                return ArrayFromJson(e);
            default:
                return JsonFragment.FromTrustedJson(e.GetRawText());
        }
    }

    private static object ArrayFromJson(JsonElement array)
    {
        var n = array.GetArrayLength();
        bool allStrings = true, allNumbers = true;
        foreach (var item in array.EnumerateArray())
        {
            allStrings &= item.ValueKind == JsonValueKind.String;
            allNumbers &= item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out var d) && double.IsFinite(d);
        }
        if (n == 0 || allStrings)
        {
            var result = new string[n];
            var i = 0;
            foreach (var item in array.EnumerateArray()) result[i++] = item.GetString()!;
            return result;
        }
        if (allNumbers)
        {
            var result = new double[n];
            var i = 0;
            foreach (var item in array.EnumerateArray()) result[i++] = item.GetDouble();
            return result;
        }
        return JsonFragment.FromTrustedJson(array.GetRawText());
    }

    /// <summary>Parses a cell that should hold a JSON array (CSV list columns); returns null when it does not.</summary>
    internal static object? TryParseListCell(string text)
    {
        var t = text.AsSpan().Trim();
        if (t.Length < 2 || t[0] != '[') return null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array ? ArrayFromJson(doc.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a string with a lone surrogate escape: keep the cell's text
        }
    }

    /// <summary>A short name of the value's kind for error messages.</summary>
    internal static string KindName(object? value) => value switch
    {
        null => "null",
        string => "text",
        bool => "bool",
        long => "integer",
        double => "number",
        string[] => "list of text",
        double[] => "list of numbers",
        JsonFragment => "JSON",
        _ => value.GetType().Name,
    };
}
