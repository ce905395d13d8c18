using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Reads text fields from pipeline input the way the module's cmdlets accept it: a string is the text itself; an object
/// (PSCustomObject, .NET object, hashtable, Import-JsonLines row) gives the named property, matched case-insensitively.
/// Objects without the property are refused with an ArgumentException rather than bound as their "@{...}" text, which
/// is what PowerShell's own by-value coercion to string would do.
/// </summary>
public static class PipelineInputReader
{
    /// <summary>The text of <paramref name="input"/>: the string itself, or its <paramref name="propertyName"/> property.</summary>
    public static string ReadText(object? input, string propertyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(propertyName);
        var value = Unwrap(input);
        switch (value)
        {
            case null:
                throw new ArgumentNullException(propertyName,
                    $"The input is null; give text (an empty string is allowed) or an object with a {propertyName} property.");
            case string text:
                return text;
            case IEnumerable when value is not IDictionary:
                throw new ArgumentException(
                    $"The input is a {value.GetType().Name} collection; pipe its items one by one, each a string or an object with a {propertyName} property.",
                    propertyName);
        }
        var property = GetProperty(input, propertyName)
            ?? throw new ArgumentException(
                $"The input object has no {propertyName} property (it is {Describe(input!)}); give a string or an object with a {propertyName} property.",
                propertyName);
        return AsText(property, propertyName);
    }

    /// <summary>The value of a property (or dictionary key) of <paramref name="input"/>, matched case-insensitively; null when absent.</summary>
    public static object? GetProperty(object? input, string name)
    {
        switch (Unwrap(input))
        {
            case null:
            case string:
                return null;
            case IDictionary dictionary:
                if (dictionary.Contains(name)) return dictionary[name];
                foreach (DictionaryEntry entry in dictionary)
                    if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return entry.Value;
                return null;
            default:
                return PSObject.AsPSObject(input!).Properties[name]?.Value;
        }
    }

    /// <summary>A property value as text: strings as they are, numbers in invariant culture; anything else is refused.</summary>
    public static string AsText(object value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            string text => text,
            IFormattable scalar when unwrapped.GetType().IsPrimitive || unwrapped is decimal => scalar.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"The {name} property is a {unwrapped.GetType().Name}; it must be text.", name),
        };
    }

    private static object? Unwrap(object? input) =>
        input is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : input;

    private static string Describe(object source) => source is PSObject { BaseObject: PSCustomObject } custom
        ? "an object with properties " + string.Join(", ", custom.Properties.Select(p => p.Name))
        : "a " + (Unwrap(source)?.GetType().Name ?? "null");
}
