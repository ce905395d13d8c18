using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// Parses one JSON object (valid UTF-8) into a <see cref="DataRow"/> whose columns remember their JSON text. Integers
/// that fit 64 bits become long, other numbers double, integers beyond 64 bits a <see cref="JsonFragment"/> (their digits
/// kept); a repeated key or a string whose escapes are not valid UTF-16 is a <see cref="BadRowException"/>. Objects and
/// mixed arrays are kept as <see cref="JsonFragment"/> text, never decoded.
/// </summary>
internal static class JsonRowParser
{
    /// <summary>The JSON is valid but cannot be a row.</summary>
    internal sealed class BadRowException(string problem) : Exception(problem);

    internal static DataRow Parse(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read()) throw new BadRowException("the line holds no JSON value.");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            using var doc = JsonDocument.Parse(json); // invalid JSON is reported as such before "not an object"
            throw new BadRowException($"the line holds a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        }
        var row = new DataRow();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var nameLength = reader.ValueSpan.Length + 2; // the key's raw text and its quotes (the ':' is not part of it)
            var name = Text(ref reader, "a key");
            if (row.Contains(name))
                throw new BadRowException($"key '{name}' appears twice in the object; a row needs distinct column names.");
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            var value = Value(ref reader, json, name);
            row.AddFromSource(name, value, json, new DataRow.SourceText(nameStart, nameLength, valueStart, (int)reader.BytesConsumed - valueStart));
        }
        while (reader.Read()) { } // anything after the object is invalid JSON: the reader throws
        return row;
    }

    private static object? Value(ref Utf8JsonReader reader, byte[] json, string column)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return Text(ref reader, $"column '{column}'");
            case JsonTokenType.Number: return Number(ref reader);
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            case JsonTokenType.StartArray:
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return List(json.AsSpan(start, (int)reader.BytesConsumed - start), column);
            }
            default:
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return JsonFragment.FromTrustedJson(System.Text.Encoding.UTF8.GetString(json, start, (int)reader.BytesConsumed - start));
            }
        }
    }

    /// <summary>A list of strings, a list of numbers, or (anything else) the array's JSON text.</summary>
    private static object List(ReadOnlySpan<byte> array, string column)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        List<string>? texts = new();
        List<double>? numbers = new();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && texts is not null)
            {
                texts.Add(Text(ref reader, $"column '{column}'"));
                numbers = null;
            }
            else if (reader.TokenType == JsonTokenType.Number && numbers is not null && reader.TryGetDouble(out var d) && double.IsFinite(d))
            {
                numbers.Add(d);
                texts = null;
            }
            else return JsonFragment.FromTrustedJson(System.Text.Encoding.UTF8.GetString(array));
        }
        if (texts is not null) return texts.ToArray();
        return numbers!.ToArray();
    }

    private static object Number(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
            return reader.TryGetInt64(out var l) ? l : JsonFragment.FromTrustedJson(System.Text.Encoding.UTF8.GetString(raw));
        return reader.TryGetDouble(out var d) && double.IsFinite(d) ? d : JsonFragment.FromTrustedJson(System.Text.Encoding.UTF8.GetString(raw));
    }

    private static string Text(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new BadRowException(
                $"{what} holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800 at offset {reader.TokenStartIndex} of the line).");
        }
    }
}
