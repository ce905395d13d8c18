using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// The part of a manifest's identity every dataset job has — how the input is read, how rows are identified and sharded,
/// what the output is — written so that a merge can rebuild the job's settings from the shards' manifests alone:
/// <c>{"dataset": {...}, "shard": "i/n", "job": {...}}</c>.
/// </summary>
internal static class DatasetIdentity
{
    internal static JsonObject Of(DatasetJobSpec spec) => new()
    {
        ["dataset"] = new JsonObject
        {
            ["input_format"] = Name(spec.InputFormat),
            ["csv_delimiter"] = spec.ReaderOptions.Delimiter?.ToString(),
            ["json_list_columns"] = Strings(spec.ReaderOptions.JsonListColumns),
            ["replace_invalid_utf8"] = spec.ReaderOptions.ReplaceInvalidUtf8,
            ["id_column"] = spec.IdColumn,
            ["strict"] = spec.Strict,
            ["skip_bad_records"] = spec.SkipBadRecords,
            ["required_columns"] = Strings(spec.RequiredColumns),
            ["output_format"] = Name(spec.OutputFormat),
            ["output_delimiter"] = spec.OutputDelimiter?.ToString(),
            ["output_columns"] = Strings(spec.OutputColumns),
            ["shard_assignment"] = spec.ShardAssignment.ToString(),
        },
        ["shard"] = Shard(spec.Shard),
        ["job"] = spec.JobIdentity.DeepClone(),
    };

    internal static string Shard(ShardSpec shard) => $"{shard.Index}/{shard.Count}";

    /// <summary>An identity without its shard, to compare the shards of one job with each other.</summary>
    internal static JsonObject WithoutShard(JsonObject identity)
    {
        var copy = identity.DeepClone().AsObject();
        copy.Remove("shard");
        return copy;
    }

    /// <summary>The shard an identity names ("i/n"), or null when it has none.</summary>
    internal static ShardSpec? ShardOf(JsonObject identity)
    {
        var text = (string?)identity["shard"];
        var parts = text?.Split('/');
        return parts is { Length: 2 } && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 0 && i < n
            ? new ShardSpec(i, n) : null;
    }

    /// <summary>Rebuilds the dataset settings of a job from its manifest (for merging its shards); the job's own part is kept as written.</summary>
    internal static DatasetJobSpec FromManifest(JobManifest manifest, string inputPath, string outputPath)
    {
        var d = manifest.Identity["dataset"]?.AsObject() ?? throw new InvalidOperationException("the manifest has no dataset identity");
        RecordFormat Format(string key) => Enum.Parse<RecordFormat>((string)d[key]!, ignoreCase: true);
        char? Char(string key) => d[key] is { } v && ((string?)v) is { Length: 1 } s ? s[0] : null;
        string[] List(string key) => d[key]?.AsArray().Select(x => (string)x!).ToArray() ?? Array.Empty<string>();
        return new DatasetJobSpec
        {
            Kind = manifest.Kind,
            InputPath = inputPath,
            InputFormat = Format("input_format"),
            ReaderOptions = new RecordReaderOptions
            {
                Delimiter = Char("csv_delimiter"),
                JsonListColumns = List("json_list_columns"),
                ReplaceInvalidUtf8 = (bool?)d["replace_invalid_utf8"] ?? false,
            },
            OutputPath = outputPath,
            OutputFormat = Format("output_format"),
            OutputDelimiter = Char("output_delimiter"),
            IdColumn = (string?)d["id_column"],
            Strict = (bool?)d["strict"] ?? true,
            SkipBadRecords = (bool?)d["skip_bad_records"] ?? false,
            RequiredColumns = List("required_columns"),
            OutputColumns = List("output_columns"),
            ShardAssignment = Enum.Parse<ShardAssignment>((string)d["shard_assignment"]!),
            JobIdentity = manifest.Identity["job"]?.DeepClone().AsObject() ?? new JsonObject(),
        };
    }

    private static string Name(RecordFormat format) => format.ToString().ToLowerInvariant();

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
