using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Evaluation;

/// <summary>
/// Saves and loads a <see cref="ComparisonResult"/> as a folder: <c>comparison.json</c> (everything but the responses,
/// plus a format marker and the response file of every setting), <c>responses/&lt;slug-of-label&gt;.jsonl</c> (one
/// <see cref="EvaluatedResponse"/> per line), <c>summary.md</c> and <c>summary.csv</c> (see <see cref="ComparisonSummaryTable"/>).
/// JSON names are snake_case; numbers that do not exist (NaN) are written as null. Problems throw
/// <see cref="DataFileException"/> naming the file and the problem.
/// </summary>
public static class ComparisonResultFiles
{
    /// <summary>The run's description and summaries.</summary>
    public const string ComparisonFileName = "comparison.json";
    /// <summary>The folder of per-setting JSONL files.</summary>
    public const string ResponsesFolderName = "responses";
    /// <summary>The Markdown summary table.</summary>
    public const string MarkdownFileName = "summary.md";
    /// <summary>The CSV summary table.</summary>
    public const string CsvFileName = "summary.csv";
    /// <summary>The value of <c>comparison.json</c>'s "format" field.</summary>
    public const string FormatName = "alignedgen-comparison";
    /// <summary>The version of the folder layout this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes every file of <paramref name="result"/> into <paramref name="folder"/> (created when missing; existing files replaced).</summary>
    public static void Save(ComparisonResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        var files = ResponseFiles(result.Summaries.Select(s => s.Setting));
        var stray = result.Responses.FirstOrDefault(r => !files.ContainsKey(r.Setting));
        if (stray is not null)
            throw new ArgumentException($"Response for prompt '{stray.PromptId}' has setting '{stray.Setting}', which has no summary; every response's setting must be a summary's label.", nameof(result));
        PrepareFolder(folder);
        foreach (var group in result.Summaries)
            SaveResponses(folder, files[group.Setting], result.Responses.Where(r => r.Setting == group.Setting));
        SaveSummary(result, folder);
    }

    /// <summary>Reads a folder written by <see cref="Save"/> (or by a comparison with an output folder).</summary>
    public static ComparisonResult Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
            throw new DataFileException(folder, null, "the folder does not exist.", "pass the output folder of a comparison (aligngen compare --output, StrategyComparison with OutputFolder, or ComparisonResultFiles.Save).");
        var path = Path.Combine(folder, ComparisonFileName);
        if (!File.Exists(path))
            throw new DataFileException(path, null, $"the file is missing, so '{folder}' is not a comparison result folder.", "pass the output folder of a comparison, which holds comparison.json, responses/, summary.md and summary.csv.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new DataFileException(path, null, "the file does not hold a JSON object.", "restore it from the comparison's output, or rerun the comparison.");
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, e.LineNumber + 1, $"the file is not valid JSON ({e.Message}).", "restore it from the comparison's output, or rerun the comparison.", e);
        }
        var format = root["format"] is JsonValue f && f.TryGetValue<string>(out var text) ? text : null;
        if (format != FormatName)
            throw new DataFileException(path, null, $"the \"format\" field is '{format ?? "(missing)"}', not '{FormatName}'; this is not a comparison result.", "pass the output folder of a comparison.");
        int? version = root["format_version"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : null;
        if (version != FormatVersion)
            throw new DataFileException(path, null, $"the folder has format version {version?.ToString() ?? "(missing)"}, but this AlignedGen reads version {FormatVersion}.", "read it with the AlignedGen version that wrote it, or rerun the comparison.");
        Dictionary<string, string> files;
        try
        {
            files = root["response_files"]?.Deserialize<Dictionary<string, string>>(EvaluationJson.Options) ?? new Dictionary<string, string>();
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, null, $"\"response_files\" is not a map of setting labels to files ({e.Message}).", "restore it from the comparison's output, or rerun the comparison.", e);
        }
        root.Remove("format");
        root.Remove("format_version");
        root.Remove("response_files");
        root["responses"] = new JsonArray();
        ComparisonResult result;
        try
        {
            result = root.Deserialize<ComparisonResult>(EvaluationJson.Options)
                ?? throw new DataFileException(path, null, "the file holds null.", "rerun the comparison.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new DataFileException(path, null, $"the file does not describe a comparison ({e.Message}).", "restore it from the comparison's output, or rerun the comparison.", e);
        }
        var responses = new List<EvaluatedResponse>();
        foreach (var summary in result.Summaries)
        {
            if (!files.TryGetValue(summary.Setting, out var relative))
                throw new DataFileException(path, null, $"\"response_files\" names no file for setting '{summary.Setting}'.", "restore comparison.json from the comparison's output, or rerun the comparison.");
            responses.AddRange(ReadResponses(Path.Combine(folder, relative)));
        }
        return result with { Responses = responses };
    }

    /// <summary>The relative path of each label's JSONL (<c>responses/&lt;slug&gt;.jsonl</c>; "-2", "-3" appended when slugs collide).</summary>
    public static IReadOnlyDictionary<string, string> ResponseFiles(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var label in labels)
        {
            if (result.ContainsKey(label)) continue;
            var slug = Slug(label);
            var name = slug;
            for (int k = 2; !used.Add(name); k++) name = $"{slug}-{k}";
            result[label] = $"{ResponsesFolderName}/{name}.jsonl";
        }
        return result;
    }

    /// <summary>A file-name-safe form of a label: lower-case ASCII letters and digits, other runs of characters as '-' ("args w=1.5" → "args-w-1-5").</summary>
    public static string Slug(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = new StringBuilder();
        foreach (var c in label.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) text.Append(c);
            else if (text.Length > 0 && text[^1] != '-') text.Append('-');
        }
        var slug = text.ToString().TrimEnd('-');
        return slug.Length == 0 ? "setting" : slug;
    }

    /// <summary>Creates the folder and its responses/ folder and checks that files can be written there.</summary>
    internal static void PrepareFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, ResponsesFolderName));
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DataFileException(folder, null, $"cannot write the comparison's files here ({e.Message}).", "choose a folder you can write to (and a path that is not an existing file).", e);
        }
    }

    /// <summary>Writes one setting's responses to <paramref name="relativePath"/> (replacing it atomically).</summary>
    internal static void SaveResponses(string folder, string relativePath, IEnumerable<EvaluatedResponse> responses)
    {
        var text = new StringBuilder();
        foreach (var r in responses) text.Append(JsonSerializer.Serialize(r, EvaluationJson.Options)).Append('\n');
        WriteAtomically(Path.Combine(folder, relativePath), text.ToString());
    }

    /// <summary>Writes comparison.json, summary.md and summary.csv (not the responses).</summary>
    internal static void SaveSummary(ComparisonResult result, string folder)
    {
        var root = JsonSerializer.SerializeToNode(result with { Responses = Array.Empty<EvaluatedResponse>() }, EvaluationJson.Options)!.AsObject();
        root.Remove("responses");
        var described = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
        };
        foreach (var (name, value) in root.ToArray())
        {
            root.Remove(name);
            described[name] = value;
        }
        described["response_files"] = JsonSerializer.SerializeToNode(ResponseFiles(result.Summaries.Select(s => s.Setting)), EvaluationJson.Options);
        WriteAtomically(Path.Combine(folder, ComparisonFileName), described.ToJsonString(EvaluationJson.Indented));
        WriteAtomically(Path.Combine(folder, MarkdownFileName), ComparisonSummaryTable.ToMarkdown(result));
        WriteAtomically(Path.Combine(folder, CsvFileName), ComparisonSummaryTable.ToCsv(result));
    }

    private static IEnumerable<EvaluatedResponse> ReadResponses(string path)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, null, "the setting's response file is missing.", "restore the responses/ folder from the comparison's output, or rerun the comparison.");
        var list = new List<EvaluatedResponse>();
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                list.Add(JsonSerializer.Deserialize<EvaluatedResponse>(text, EvaluationJson.Options)
                    ?? throw new JsonException("the line holds null"));
            }
            catch (JsonException e)
            {
                throw new DataFileException(path, line, $"the line is not an evaluated response ({e.Message}).", "restore the file from the comparison's output, or rerun the comparison.", e);
            }
        }
        return list;
    }

    private static void WriteAtomically(string path, string text)
    {
        try
        {
            using var file = OutputFile.Create(path);
            file.Stream.Write(new UTF8Encoding(false).GetBytes(text));
            file.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, $"cannot write the file ({e.Message}).", "choose an output folder you can write to.", e);
        }
    }
}
