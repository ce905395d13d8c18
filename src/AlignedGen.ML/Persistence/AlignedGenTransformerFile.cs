using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Models;
using AlignedGen.ML.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// Saves and loads AlignedGen's ML.NET transformers, alone or inside a <see cref="TransformerChain{TLastTransformer}"/>
/// with ML.NET's own. A file is a zip: one JSON manifest per AlignedGen transformer (transform, columns, every option that
/// decides the output, each model folder's absolute path and <see cref="ModelFolderFingerprint"/>; models are not copied)
/// and one ML.NET model zip per run of ML.NET transformers. Loading fails with <see cref="ModelFolderException"/> when a
/// folder is gone (moved) or its fingerprint differs (changed). See docs/mlnet.md.
/// </summary>
public static class AlignedGenTransformerFile
{
    /// <summary>The zip entry that holds a single transformer's manifest.</summary>
    public const string EntryName = "transformer.json";

    /// <summary>The zip entry that lists a chain's parts.</summary>
    public const string ChainEntryName = "chain.json";

    /// <summary>Format name written into the manifests.</summary>
    public const string FormatName = "alignedgen.mlnet.transformer";

    /// <summary>Manifest version written by this library (2: strategies as their registered name and values, rewards as references).</summary>
    public const int FormatVersion = 2;

    /// <summary>Saves a <see cref="TextGenerationTransformer"/>.</summary>
    public static void Save(TextGenerationTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        WriteZip(path, zip => WriteJson(zip, EntryName, TransformerManifest.Write(transformer)));
    }

    /// <summary>Saves a <see cref="RewardScoringTransformer"/>.</summary>
    public static void Save(RewardScoringTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        WriteZip(path, zip => WriteJson(zip, EntryName, TransformerManifest.Write(transformer)));
    }

    /// <summary>Saves a <see cref="QualityMeasuringTransformer"/>.</summary>
    public static void Save(QualityMeasuringTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        WriteZip(path, zip => WriteJson(zip, EntryName, TransformerManifest.Write(transformer)));
    }

    /// <summary>
    /// Saves a model that may mix AlignedGen and ML.NET transformers (a chain, nested chains flattened, or one transformer).
    /// <paramref name="inputSchema"/> is the schema the model is applied to (ML.NET's parts are saved with the schema they see).
    /// </summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (TransformerManifest.IsOurs(model))
        {
            WriteZip(path, zip => WriteJson(zip, EntryName, TransformerManifest.Write(model)));
            return;
        }
        var parts = Flatten(model).ToList();
        // Group consecutive ML.NET transformers into one ML.NET model each; ours become manifests.
        var entries = new JsonArray();
        WriteZip(path, zip =>
        {
            var schema = inputSchema;
            int i = 0, index = 0;
            while (i < parts.Count)
            {
                if (TransformerManifest.IsOurs(parts[i]))
                {
                    var name = $"part{index++}.json";
                    WriteJson(zip, name, TransformerManifest.Write(parts[i]));
                    entries.Add(new JsonObject { ["kind"] = "alignedgen", ["entry"] = name });
                    schema = parts[i].GetOutputSchema(schema);
                    i++;
                    continue;
                }
                var run = new List<ITransformer>();
                while (i < parts.Count && !TransformerManifest.IsOurs(parts[i])) run.Add(parts[i++]);
                var chain = new TransformerChain<ITransformer>(run.ToArray());
                var entryName = $"part{index++}.zip";
                using (var buffer = new MemoryStream())
                {
                    mlContext.Model.Save(chain, schema, buffer);
                    using var stream = zip.CreateEntry(entryName, CompressionLevel.NoCompression).Open();
                    stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                }
                entries.Add(new JsonObject { ["kind"] = "mlnet", ["entry"] = entryName });
                schema = chain.GetOutputSchema(schema);
            }
            WriteJson(zip, ChainEntryName, new JsonObject { ["format"] = FormatName, ["version"] = FormatVersion, ["parts"] = entries });
        });
    }

    /// <summary>
    /// Loads what <c>Save</c> wrote: a <see cref="TextGenerationTransformer"/>, a <see cref="RewardScoringTransformer"/>, a
    /// <see cref="QualityMeasuringTransformer"/>, or a
    /// <see cref="TransformerChain{TLastTransformer}"/> of AlignedGen and ML.NET transformers (ML.NET's parts load with
    /// <paramref name="mlContext"/>, default a new one). <paramref name="relocatedFolders"/> maps a saved model folder to
    /// where it lives now (same fingerprint required). Models load lazily, on the first cursor that reads an output column.
    /// Cancellation and progress hooks are not saved.
    /// </summary>
    public static ITransformer Load(string path, IReadOnlyDictionary<string, string>? relocatedFolders = null, MLContext? mlContext = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No saved transformer at '{Path.GetFullPath(path)}'. Fix: check the path given to Save.", path);
        using var zip = ZipFile.OpenRead(path);
        if (zip.GetEntry(EntryName) is not null) return TransformerManifest.Read(ReadJson(zip, EntryName, path), path, relocatedFolders);
        if (zip.GetEntry(ChainEntryName) is null)
            throw new InvalidDataException($"'{path}' has neither {EntryName} nor {ChainEntryName}: it was not written by AlignedGenTransformerFile.Save (an ML.NET model zip loads with mlContext.Model.Load).");
        var chain = ReadJson(zip, ChainEntryName, path);
        mlContext ??= new MLContext();
        var parts = new List<ITransformer>();
        foreach (var part in chain["parts"]!.AsArray())
        {
            var entry = part!["entry"]!.GetValue<string>();
            if (part["kind"]!.GetValue<string>() == "alignedgen")
            {
                parts.Add(TransformerManifest.Read(ReadJson(zip, entry, path), path, relocatedFolders));
                continue;
            }
            using var buffer = new MemoryStream();
            using (var stream = (zip.GetEntry(entry) ?? throw Damaged(path, $"missing entry {entry}")).Open()) stream.CopyTo(buffer);
            buffer.Position = 0;
            var loaded = mlContext.Model.Load(buffer, out _);
            parts.AddRange(Flatten(loaded));
        }
        return new TransformerChain<ITransformer>(parts.ToArray());
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (TransformerManifest.IsOurs(model) || model is not IEnumerable<ITransformer> chain)
        {
            yield return model;
            yield break;
        }
        foreach (var inner in chain)
            foreach (var t in Flatten(inner)) yield return t;
    }

    private static void WriteJson(ZipArchive zip, string name, JsonObject json)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(Encoding.UTF8.GetBytes(json.ToJsonString(OptionsJson.Indented)));
    }

    private static void WriteZip(string path, Action<ZipArchive> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create)) write(zip);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static JsonNode ReadJson(ZipArchive zip, string name, string path)
    {
        try
        {
            using var stream = (zip.GetEntry(name) ?? throw Damaged(path, $"missing entry {name}")).Open();
            var root = JsonNode.Parse(stream) ?? throw Damaged(path, $"{name} is empty");
            if (root["format"]?.GetValue<string>() != FormatName)
                throw new InvalidDataException($"'{path}': {name} is not an AlignedGen transformer manifest.");
            int version = root["version"]?.GetValue<int>() ?? 0;
            if (version != FormatVersion)
                throw new InvalidDataException($"'{path}' was saved in format version {version}; this library reads version {FormatVersion}. Fix: load it with the AlignedGen.ML version that saved it.");
            return root;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Damaged(path, $"{name}: {e.Message}", e);
        }
    }

    private static InvalidDataException Damaged(string path, string problem, Exception? inner = null)
        => new($"'{path}' is damaged ({problem}). Fix: save the transformer again.", inner);
}
