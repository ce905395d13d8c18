using System.Text.Json;

namespace AlignedGen.Hub;

/// <summary>
/// Which files make a model folder, by name: the small configuration and tokenizer files, the ONNX graph the loaders
/// open (genai_config.json's decoder file, else model.onnx, else the only .onnx), and the graph's external data. The
/// Hub download uses these rules on a repository listing and the cache check uses them on a snapshot folder, so both
/// agree on what "complete" means.
/// </summary>
internal static class ModelFolderFiles
{
    private static readonly string[] SmallFileExtensions = { ".json", ".model", ".txt", ".jinja", ".tiktoken" };
    private static readonly string[] TokenizerFiles = { "tokenizer.json", "tokenizer.model", "vocab.txt", "vocab.json" };
    private static readonly string[] ConfigFiles = { "config.json", "genai_config.json" };

    /// <summary>Configuration and tokenizer files (json, SentencePiece .model, vocab/merges .txt, chat templates): small, always fetched.</summary>
    public static bool IsSmallFile(string name) => SmallFileExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>An ONNX graph file.</summary>
    public static bool IsGraph(string name) => name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The graph the loaders open among <paramref name="names"/> (the folder's file names): the decoder file that
    /// genai_config.json names, else model.onnx, else the only .onnx; null when there is none or the choice is ambiguous.
    /// </summary>
    public static string? ChooseGraph(IReadOnlyCollection<string> names, string? genaiDecoderFile)
    {
        if (genaiDecoderFile is not null && names.Contains(genaiDecoderFile)) return genaiDecoderFile;
        if (names.Contains("model.onnx")) return "model.onnx";
        var graphs = names.Where(IsGraph).ToList();
        return graphs.Count == 1 ? graphs[0] : null;
    }

    /// <summary>Files named after the graph that hold its external data (model.onnx.data, model.onnx_data): fetched with it before the graph is read.</summary>
    public static bool IsNamedDataOf(string name, string graph) =>
        name.Length > graph.Length && name.StartsWith(graph, StringComparison.Ordinal) && !IsGraph(name);

    /// <summary>The decoder file name genai_config.json in <paramref name="folder"/> gives (model.decoder.filename), or null.</summary>
    public static string? GenaiDecoderFile(string folder)
    {
        var path = Path.Combine(folder, "genai_config.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("model", out var m) && m.TryGetProperty("decoder", out var d)
                && d.TryGetProperty("filename", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the loader reports the broken file with its own message
        }
    }

    /// <summary>
    /// Whether <paramref name="folder"/> is a complete model folder: a config, a tokenizer, the graph and every external
    /// data file the graph names. A Hub download links the graph into the snapshot last, so an interrupted download is
    /// never complete.
    /// </summary>
    public static bool IsComplete(string folder)
    {
        if (!Directory.Exists(folder)) return false;
        var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!ConfigFiles.Any(names.Contains)) return false;
        if (!TokenizerFiles.Any(names.Contains) && !names.Any(n => n.EndsWith(".model", StringComparison.OrdinalIgnoreCase))) return false;
        var graph = ChooseGraph(names, GenaiDecoderFile(folder));
        if (graph is null) return false;
        try
        {
            return OnnxExternalData.Locations(Path.Combine(folder, graph)).All(location => File.Exists(Path.Combine(folder, location)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return false; // a broken link or a damaged graph: not complete, so it is fetched again
        }
    }
}
