using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// <c>&lt;output&gt;.manifest.json</c>: what wrote an output — the job kind, its identity (input format, columns, reward
/// or model identity, options) and, once complete, how many input rows it covers and their fingerprint. A resume compares
/// identities and refuses when they differ; an extended run checks the fingerprint of the rows already done.
/// Written atomically (temporary file, rename, folder fsync).
/// </summary>
internal sealed class JobManifest
{
    internal const string Suffix = ".manifest.json";
    private const string FormatName = "aligngen-job-manifest";
    private const int FormatVersion = 1;

    internal const string Running = "running";
    internal const string Complete = "complete";

    public required string Kind { get; init; }

    public required string State { get; init; }

    public required JsonObject Identity { get; init; }

    public JsonObject Settings { get; init; } = new();

    /// <summary>Input rows (of this shard) the complete output holds.</summary>
    public long? RowsDone { get; init; }

    /// <summary>Fingerprint of those input rows (see <see cref="RowContent"/>).</summary>
    public string? InputFingerprint { get; init; }

    internal static string PathFor(string outputPath) => outputPath + Suffix;

    /// <summary>The manifest beside <paramref name="outputPath"/>, or null when there is none.</summary>
    internal static JobManifest? Read(string outputPath)
    {
        var path = PathFor(outputPath);
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("the file holds null");
            if ((string?)root["format"] != FormatName)
                throw new JsonException($"it is not an {FormatName} file");
            if ((int?)root["version"] is not FormatVersion)
                throw new JsonException($"its version is {root["version"]}; this AlignedGen reads version {FormatVersion}");
            return new JobManifest
            {
                Kind = (string?)root["kind"] ?? throw new JsonException("it has no kind"),
                State = (string?)root["state"] ?? throw new JsonException("it has no state"),
                Identity = root["identity"]?.AsObject().DeepClone().AsObject() ?? throw new JsonException("it has no identity"),
                Settings = root["settings"]?.DeepClone().AsObject() ?? new JsonObject(),
                RowsDone = (long?)root["rows_done"],
                InputFingerprint = (string?)root["input_fingerprint"],
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new DataFileException(path, null, $"the job manifest cannot be read ({ex.Message}).",
                "restore it, or restart the job so that it writes a new output and manifest.", ex);
        }
    }

    /// <summary>Writes the manifest beside <paramref name="outputPath"/>, atomically.</summary>
    internal void Write(string outputPath, bool syncToDisk)
    {
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["kind"] = Kind,
            ["state"] = State,
            ["identity"] = Identity.DeepClone(),
        };
        if (RowsDone is { } rows) root["rows_done"] = rows;
        if (InputFingerprint is { } fingerprint) root["input_fingerprint"] = fingerprint;
        root["settings"] = Settings.DeepClone();
        root["written_by"] = "AlignedGen " + typeof(JobManifest).Assembly.GetName().Version;
        using var file = OutputFile.Create(PathFor(outputPath));
        file.Stream.Write(JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true }));
        file.Stream.WriteByte((byte)'\n');
        file.Commit(syncToDisk);
    }

    /// <summary>What differs between two identities, one line per value ("options.shard was '0/2', now '1/2'"); empty when equal.</summary>
    internal static IReadOnlyList<string> Differences(JsonObject was, JsonObject now)
    {
        var a = Flatten(was);
        var b = Flatten(now);
        var lines = new List<string>();
        foreach (var key in a.Keys.Concat(b.Keys.Where(k => !a.ContainsKey(k))))
        {
            var before = a.GetValueOrDefault(key);
            var after = b.GetValueOrDefault(key);
            if (before == after) continue;
            lines.Add($"{key} was {before ?? "absent"}, now {after ?? "absent"}");
        }
        return lines;
    }

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", values);
        return values;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj) Walk(child, Join(path, key), values);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", values);
                if (array.Count == 0) values[path] = "[]";
                break;
            default:
                values[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static string Join(string path, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        return simple ? (path.Length == 0 ? key : path + "." + key) : $"{path}[\"{key}\"]";
    }
}
