using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignedGen.PowerShell.Json;

/// <summary>
/// Writes a PowerShell object as one line of compact JSON, as ConvertTo-Json -Compress would, with these choices:
/// enums as their names, DateTime/DateTimeOffset in round-trip ("o") format, TimeSpan/Guid/Uri/Version as strings,
/// NaN and infinities as the strings "NaN", "Infinity", "-Infinity". Objects nested deeper than the depth limit are
/// written as their ToString() text and <see cref="Truncated"/> is set.
/// </summary>
public sealed class PSObjectJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private readonly int _maxDepth;

    /// <summary>Creates a writer; objects deeper than <paramref name="maxDepth"/> levels are written as strings.</summary>
    public PSObjectJsonWriter(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 0);
        _maxDepth = maxDepth;
    }

    /// <summary>True once any value was cut at the depth limit.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The JSON text of <paramref name="value"/> on a single line (newlines inside strings are escaped).</summary>
    public string ToJson(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteValue(writer, value, 0);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        var psObject = value as PSObject;
        var baseObject = psObject?.BaseObject ?? value;
        switch (baseObject)
        {
            case null:
                writer.WriteNullValue();
                return;
            case PSCustomObject:
                WriteProperties(writer, psObject!, depth);
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case char character:
                writer.WriteStringValue(character.ToString());
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case Enum enumValue:
                writer.WriteStringValue(enumValue.ToString());
                return;
            case sbyte or byte or short or ushort or int or long:
                writer.WriteNumberValue(System.Convert.ToInt64(baseObject, CultureInfo.InvariantCulture));
                return;
            case uint or ulong:
                writer.WriteNumberValue(System.Convert.ToUInt64(baseObject, CultureInfo.InvariantCulture));
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                return;
            case decimal number:
                writer.WriteNumberValue(number);
                return;
            case float or double or Half:
                WriteFloat(writer, System.Convert.ToDouble(baseObject, CultureInfo.InvariantCulture));
                return;
            case DateTime time:
                writer.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                return;
            case TimeSpan span:
                writer.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                return;
            case Guid or Uri or Version or Type or ScriptBlock:
                writer.WriteStringValue(baseObject is Type type ? type.FullName : baseObject.ToString());
                return;
        }

        if (depth >= _maxDepth)
        {
            Truncated = true;
            writer.WriteStringValue(baseObject.ToString());
            return;
        }

        switch (baseObject)
        {
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence) WriteValue(writer, item, depth + 1);
                writer.WriteEndArray();
                return;
            default:
                WriteProperties(writer, psObject ?? PSObject.AsPSObject(baseObject), depth);
                return;
        }
    }

    private void WriteProperties(Utf8JsonWriter writer, PSObject psObject, int depth)
    {
        if (depth >= _maxDepth)
        {
            Truncated = true;
            writer.WriteStringValue(psObject.ToString());
            return;
        }
        writer.WriteStartObject();
        foreach (var property in psObject.Properties)
        {
            if (!property.IsGettable) continue;
            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (GetValueException)
            {
                propertyValue = null;
            }
            writer.WritePropertyName(property.Name);
            WriteValue(writer, propertyValue, depth + 1);
        }
        writer.WriteEndObject();
    }

    private static void WriteFloat(Utf8JsonWriter writer, double number)
    {
        if (double.IsNaN(number)) writer.WriteStringValue("NaN");
        else if (double.IsPositiveInfinity(number)) writer.WriteStringValue("Infinity");
        else if (double.IsNegativeInfinity(number)) writer.WriteStringValue("-Infinity");
        else writer.WriteNumberValue(number);
    }
}
