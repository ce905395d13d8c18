using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Json;

namespace AlignedGen.PowerShell.Json;

/// <summary>
/// Converts one JSON text to what ConvertFrom-Json gives: objects become PSCustomObjects (property order kept), arrays
/// object[], integers Int64 (BigInteger past its range), other numbers Double, true/false Boolean. Unlike
/// ConvertFrom-Json, strings stay strings (a prompt that looks like a date is not turned into a DateTime).
/// </summary>
public static class JsonToPSObject
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    /// <summary>Parses <paramref name="json"/>; throws JsonException for invalid JSON and FormatException for keys that differ only in case.</summary>
    public static object? Convert(string json)
    {
        using var document = JsonDocument.Parse(json, Options);
        return Convert(document.RootElement);
    }

    /// <summary>Converts a parsed element.</summary>
    public static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ConvertNumber(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ConvertObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (var property in element.EnumerateObject())
        {
            if (result.Properties[property.Name] is not null)
                throw new FormatException(
                    $"The key '{property.Name}' appears twice (PowerShell property names ignore case).");
            result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
        }
        return result;
    }

    private static object ConvertNumber(JsonElement element)
    {
        if (element.TryGetInt64(out var integer)) return integer;
        var text = element.GetRawText();
        if (text.IndexOfAny(['.', 'e', 'E']) < 0)
            return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
