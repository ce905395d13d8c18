using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Models;
using AlignedGen.ML.Persistence;
using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>
/// Saves and loads AlignedGen's ML.NET transformers. The file is a zip holding <c>transformer.json</c>: the transform,
/// its column names, every option that decides the output, and each model folder's absolute path and
/// <see cref="ModelFolderFingerprint"/>. Models are not copied. Loading fails with <see cref="ModelFolderException"/>
/// when a folder is gone (moved) or its fingerprint differs (changed). See docs/mlnet.md.
/// </summary>
public static class AlignedGenTransformerFile
{
    /// <summary>The zip entry that holds the manifest.</summary>
    public const string EntryName = "transformer.json";

    /// <summary>Format name written into the manifest.</summary>
    public const string FormatName = "alignedgen.mlnet.transformer";

    /// <summary>Manifest version written by this library.</summary>
    public const int FormatVersion = 1;

    /// <summary>Saves a <see cref="TextGenerationTransformer"/>.</summary>
    public static void Save(TextGenerationTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var o = transformer.Options;
        var root = Header(transformer.TransformName);
        root["columns"] = new JsonObject
        {
            ["output"] = transformer.OutputColumnName, ["input"] = transformer.InputColumnName, ["reference"] = o.ReferenceColumnName,
            ["reward"] = o.RewardColumnName, ["tokenCount"] = o.TokenCountColumnName, ["finishReason"] = o.FinishReasonColumnName, ["cost"] = o.CostColumnName,
        };
        root["model"] = new JsonObject { ["folder"] = o.ModelFolder, ["fingerprint"] = transformer.ModelFingerprint };
        root["reward"] = transformer.Reward is null ? null : WriteReward(transformer.Reward, transformer.RewardFingerprint, transformer.TransformName);
        root["generation"] = OptionsJson.Write(o.Generation);
        root["execution"] = OptionsJson.Write(o.Execution);
        switch (o)
        {
            case GenerateTextOptions g: root["sampling"] = OptionsJson.Write(g.Sampling); break;
            case RewardGuidedDecodingOptions { Args: { } a }: root["args"] = OptionsJson.Write(a); break;
            case RewardGuidedDecodingOptions r: root["bestOfN"] = OptionsJson.Write(r.BestOfN!); break;
        }
        Write(root, path);
    }

    /// <summary>Saves a <see cref="RewardScoringTransformer"/>.</summary>
    public static void Save(RewardScoringTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var root = Header("ScoreReward");
        root["columns"] = new JsonObject
        {
            ["output"] = transformer.OutputColumnName, ["prompt"] = transformer.PromptColumnName, ["response"] = transformer.ResponseColumnName,
            ["reference"] = transformer.Options.ReferenceColumnName,
        };
        root["reward"] = WriteReward(transformer.Options.Reward, transformer.RewardFingerprint, "ScoreReward");
        root["batchSize"] = transformer.Options.BatchSize;
        Write(root, path);
    }

    /// <summary>
    /// Loads a transformer saved by <c>Save</c>: a <see cref="TextGenerationTransformer"/> or <see cref="RewardScoringTransformer"/>.
    /// <paramref name="relocatedFolders"/> maps a saved model folder to where it lives now (same fingerprint required).
    /// Models load lazily, on the first cursor that reads an output column. Cancellation and progress hooks are not saved.
    /// </summary>
    public static ITransformer Load(string path, IReadOnlyDictionary<string, string>? relocatedFolders = null)
    {
        var root = Read(path);
        var transform = root["transform"]?.GetValue<string>();
        var columns = root["columns"]!;
        string? Col(string name) => columns[name]?.GetValue<string>();
        switch (transform)
        {
            case "GenerateText":
            case "ApplyRewardGuidedDecoding":
            {
                var (folder, lmHash) = Folder(root["model"]!, "language model", path, relocatedFolders);
                var (reward, rmHash) = root["reward"] is { } r ? ReadReward(r, path, relocatedFolders) : (null, null);
                var generation = OptionsJson.ReadGeneration(root["generation"]!);
                var execution = OptionsJson.ReadExecution(root["execution"]);
                DecodingTransformOptions options = transform == "GenerateText"
                    ? new GenerateTextOptions(folder)
                    {
                        Sampling = OptionsJson.ReadSampling(root["sampling"]!), Reward = reward, Generation = generation, Execution = execution,
                        ReferenceColumnName = Col("reference"), RewardColumnName = Col("reward")!, TokenCountColumnName = Col("tokenCount"),
                        FinishReasonColumnName = Col("finishReason"), CostColumnName = Col("cost"),
                    }
                    : root["args"] is { } a
                        ? new RewardGuidedDecodingOptions(folder, reward!, OptionsJson.ReadArgs(a))
                        {
                            Generation = generation, Execution = execution,
                            ReferenceColumnName = Col("reference"), RewardColumnName = Col("reward")!, TokenCountColumnName = Col("tokenCount"),
                            FinishReasonColumnName = Col("finishReason"), CostColumnName = Col("cost"),
                        }
                        : new RewardGuidedDecodingOptions(folder, reward!, OptionsJson.ReadBestOfN(root["bestOfN"]!))
                        {
                            Generation = generation, Execution = execution,
                            ReferenceColumnName = Col("reference"), RewardColumnName = Col("reward")!, TokenCountColumnName = Col("tokenCount"),
                            FinishReasonColumnName = Col("finishReason"), CostColumnName = Col("cost"),
                        };
                return new TextGenerationTransformer(Col("output")!, Col("input")!, options, lmHash, rmHash);
            }
            case "ScoreReward":
            {
                var (reward, rmHash) = ReadReward(root["reward"]!, path, relocatedFolders);
                var options = new ScoreRewardOptions(reward!) { BatchSize = root["batchSize"]!.GetValue<int>(), ReferenceColumnName = Col("reference") };
                return new RewardScoringTransformer(Col("output")!, Col("prompt")!, Col("response")!, options, rmHash);
            }
            default:
                throw new InvalidDataException($"'{path}' names an unknown transform '{transform}'. Fix: load it with the AlignedGen.ML version that saved it.");
        }
    }

    private static JsonObject Header(string transform) => new()
    {
        ["format"] = FormatName, ["version"] = FormatVersion, ["transform"] = transform,
        ["library"] = typeof(AlignedGenTransformerFile).Assembly.GetName().Version?.ToString(),
    };

    private static JsonObject WriteReward(RewardSpec reward, string? fingerprint, string transform)
    {
        if (!reward.CanSave)
            throw new NotSupportedException($"{transform} cannot be saved: its reward ({reward}) was built in code (RewardSpec.FromSource, or a proxy reward with a custom ExtractQuery). Fix: use RewardSpec.FromFolder or RewardSpec.Proxy with serializable options, or rebuild the transform in code instead of saving it.");
        return reward.Kind == RewardSpecKind.ModelFolder
            ? new JsonObject { ["kind"] = "ModelFolder", ["folder"] = reward.Folder, ["fingerprint"] = fingerprint }
            : new JsonObject { ["kind"] = "Proxy", ["options"] = OptionsJson.Write(reward.ProxyOptions!) };
    }

    private static (RewardSpec?, string?) ReadReward(JsonNode node, string path, IReadOnlyDictionary<string, string>? relocated)
    {
        switch (node["kind"]?.GetValue<string>())
        {
            case "ModelFolder":
                var (folder, hash) = Folder(node, "reward model", path, relocated);
                return (RewardSpec.FromFolder(folder), hash);
            case "Proxy":
                return (RewardSpec.Proxy(OptionsJson.ReadProxy(node["options"]!)), null);
            default:
                throw new InvalidDataException($"'{path}' names an unknown reward kind '{node["kind"]}'.");
        }
    }

    private static (string Folder, string Fingerprint) Folder(JsonNode node, string role, string path, IReadOnlyDictionary<string, string>? relocated)
    {
        var saved = node["folder"]!.GetValue<string>();
        var expected = node["fingerprint"]!.GetValue<string>();
        var folder = relocated is not null && relocated.TryGetValue(saved, out var moved) ? Path.GetFullPath(moved) : saved;
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, $"the {role} folder recorded in '{path}' is gone (moved or deleted).",
                $"put the model back at {folder}, or pass its new location: AlignedGenTransformerFile.Load(path, new Dictionary<string, string> {{ [\"{saved}\"] = \"NEW/PATH\" }}).");
        var actual = ModelFolderFingerprint.Compute(folder);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            throw new ModelFolderException(folder, $"the {role} changed since '{path}' was saved (fingerprint {expected[..12]}… saved, {actual[..12]}… now).",
                "restore the model files that were saved with the transformer, or fit the transform again on the new model and save it again.");
        return (folder, actual);
    }

    private static void Write(JsonObject root, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry(EntryName, CompressionLevel.Optimal);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(root.ToJsonString(OptionsJson.Indented)));
        }
        File.Move(temp, full, overwrite: true);
    }

    private static JsonNode Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No saved transformer at '{Path.GetFullPath(path)}'. Fix: check the path given to Save.", path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(EntryName)
                ?? throw new InvalidDataException($"'{path}' has no {EntryName}: it was not written by AlignedGenTransformerFile.Save (an ML.NET model zip loads with mlContext.Model.Load).");
            using var stream = entry.Open();
            var root = JsonNode.Parse(stream) ?? throw new InvalidDataException($"'{path}': {EntryName} is empty.");
            if (root["format"]?.GetValue<string>() != FormatName)
                throw new InvalidDataException($"'{path}': {EntryName} is not an AlignedGen transformer manifest.");
            int version = root["version"]?.GetValue<int>() ?? 0;
            if (version != FormatVersion)
                throw new InvalidDataException($"'{path}' was saved in format version {version}; this library reads version {FormatVersion}. Fix: load it with the AlignedGen.ML version that saved it.");
            return root;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}': {EntryName} is damaged ({e.Message}). Fix: save the transformer again.", e);
        }
    }
}
