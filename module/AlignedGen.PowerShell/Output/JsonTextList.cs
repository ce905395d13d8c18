using System.Collections.ObjectModel;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignedGen.PowerShell.Output;

/// <summary>
/// A read-only list (token ids, tokens) whose text is its JSON array, <c>[1,403,407]</c>: Export-Csv and string
/// interpolation write that instead of <c>System.Int32[]</c>, and <c>ConvertFrom-Json</c> reads it back. Indexing,
/// slicing, enumeration and binding to <c>int[]</c> parameters work as with an array.
/// </summary>
public sealed class JsonTextList<T> : ReadOnlyCollection<T>
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A list over <paramref name="items"/> (not copied).</summary>
    public JsonTextList(IList<T> items) : base(items)
    {
    }

    /// <summary>The number of items, as an array's Length.</summary>
    public int Length => Count;

    /// <summary>The items as a JSON array.</summary>
    public override string ToString() => JsonSerializer.Serialize(Items, Json);
}
