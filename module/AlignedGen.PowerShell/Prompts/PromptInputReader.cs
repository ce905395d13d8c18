using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Reads one prompt input: a string is the prompt; an object (PSObject, PSCustomObject, .NET object or hashtable) must
/// have a Prompt property or key and may have Id, Response and Reference. Names match case-insensitively, so rows from
/// Import-JsonLines with "prompt"/"id" keys work. Anything else is refused with an ArgumentException that says why;
/// this is what keeps PowerShell from binding an object without a Prompt as its "@{...}" text.
/// </summary>
public static class PromptInputReader
{
    /// <summary>The prompt fields of <paramref name="input"/>; throws ArgumentException when it holds no prompt text.</summary>
    public static (string Prompt, string? Id, string? Response, string? Reference) Read(object? input)
    {
        var value = input is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : input;
        switch (value)
        {
            case null:
                throw new ArgumentNullException("Prompt", "A prompt is null; give text (an empty string is allowed) or an object with a Prompt property.");
            case string text:
                return (text, null, null, null);
            case IDictionary dictionary:
                return FromLookup(key => dictionary.Contains(key) ? dictionary[key] : FindKey(dictionary, key), value);
            case IEnumerable when value is not PSObject:
                throw new ArgumentException(
                    $"A prompt input is a {value.GetType().Name} collection; pipe its items one by one, each a string or an object with a Prompt property.", "Prompt");
        }
        var psObject = PSObject.AsPSObject(input!);
        return FromLookup(name => psObject.Properties[name]?.Value, value);
    }

    private static (string, string?, string?, string?) FromLookup(Func<string, object?> lookup, object source)
    {
        var prompt = lookup("Prompt");
        if (prompt is null)
            throw new ArgumentException(
                $"The input object has no Prompt property (it is {Describe(source)}); give a string or an object with a Prompt property.", "Prompt");
        return (AsText(prompt, "Prompt"), AsOptionalText(lookup("Id"), "Id"), AsOptionalText(lookup("Response"), "Response"), AsOptionalText(lookup("Reference"), "Reference"));
    }

    private static object? FindKey(IDictionary dictionary, string key)
    {
        foreach (DictionaryEntry entry in dictionary)
            if (entry.Key is string name && string.Equals(name, key, StringComparison.OrdinalIgnoreCase)) return entry.Value;
        return null;
    }

    private static string AsText(object value, string name)
    {
        var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            string text => text,
            IFormattable scalar when unwrapped.GetType().IsPrimitive || unwrapped is decimal => scalar.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"The {name} property is a {unwrapped.GetType().Name}; it must be text.", name),
        };
    }

    private static string? AsOptionalText(object? value, string name) => value is null ? null : AsText(value, name);

    private static string Describe(object source) => source is PSObject { BaseObject: PSCustomObject } custom
        ? "an object with properties " + string.Join(", ", custom.Properties.Select(p => p.Name))
        : "a " + source.GetType().Name;
}
