using System.Text.Json;

namespace AlignedGen.Data;

/// <summary>
/// A JSON value that is not a string, number, bool, null, list of strings or list of numbers (a nested object, a list of
/// objects, a list with nulls), kept verbatim so that JSONL rows pass through unchanged. CSV and Parquet store its text.
/// </summary>
public sealed class JsonFragment : IEquatable<JsonFragment>
{
    /// <summary>Wraps JSON text; throws <see cref="ArgumentException"/> when the text is not one valid JSON value.</summary>
    public JsonFragment(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"'{Shorten(json)}' is not valid JSON ({ex.Message}). Fix: pass one complete JSON value.", nameof(json), ex);
        }
        Json = json;
    }

    private JsonFragment(string json, bool trusted) => Json = json;

    /// <summary>The JSON text, compact.</summary>
    public string Json { get; }

    internal static JsonFragment FromTrustedJson(string json) => new(json, trusted: true);

    public bool Equals(JsonFragment? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as JsonFragment);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    public override string ToString() => Json;

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
