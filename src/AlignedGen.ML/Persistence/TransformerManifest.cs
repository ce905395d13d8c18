using AlignedGen.Models;
using System.Text.Json.Nodes;
using Microsoft.ML;

namespace AlignedGen.ML.Persistence;

/// <summary>The JSON manifest of one AlignedGen transformer: transform, columns, options, model folders with fingerprints.</summary>
internal static class TransformerManifest
{
    /// <summary>True for the transformer types this library saves.</summary>
    public static bool IsOurs(ITransformer t) => t is TextGenerationTransformer or RewardScoringTransformer or QualityMeasuringTransformer;

    /// <summary>The manifest of <paramref name="transformer"/>.</summary>
    public static JsonObject Write(ITransformer transformer) => transformer switch
    {
        TextGenerationTransformer t => Write(t),
        RewardScoringTransformer r => Write(r),
        QualityMeasuringTransformer q => QualityManifest.Write(q),
        _ => throw new ArgumentException($"{transformer.GetType().Name} is not an AlignedGen transformer.", nameof(transformer)),
    };

    private static JsonObject Write(TextGenerationTransformer transformer)
    {
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
            case DarwinDecodingOptions d: root["darwin"] = OptionsJson.Write(d.Darwin, transformer.TransformName); break;
        }
        return root;
    }

    private static JsonObject Write(RewardScoringTransformer transformer)
    {
        var root = Header("ScoreReward");
        root["columns"] = new JsonObject
        {
            ["output"] = transformer.OutputColumnName, ["prompt"] = transformer.PromptColumnName, ["response"] = transformer.ResponseColumnName,
            ["reference"] = transformer.Options.ReferenceColumnName,
        };
        root["reward"] = WriteReward(transformer.Options.Reward, transformer.RewardFingerprint, "ScoreReward");
        root["batchSize"] = transformer.Options.BatchSize;
        return root;
    }

    /// <summary>Rebuilds a transformer from its manifest, checking each model folder (relocated when mapped) against its fingerprint.</summary>
    public static ITransformer Read(JsonNode root, string path, IReadOnlyDictionary<string, string>? relocatedFolders)
    {
        var transform = root["transform"]?.GetValue<string>();
        var columns = root["columns"]!;
        string? Col(string name) => columns[name]?.GetValue<string>();
        switch (transform)
        {
            case "GenerateText":
            case "ApplyRewardGuidedDecoding":
            case "ApplyDarwinDecoding":
            {
                var (folder, lmHash) = Folder(root["model"]!, "language model", path, relocatedFolders);
                var (reward, rmHash) = root["reward"] is { } r ? ReadReward(r, path, relocatedFolders) : (null, null);
                DecodingTransformOptions options = transform switch
                {
                    "GenerateText" => new GenerateTextOptions(folder) { Sampling = OptionsJson.ReadSampling(root["sampling"]!), Reward = reward },
                    "ApplyDarwinDecoding" => new DarwinDecodingOptions(folder, reward!, OptionsJson.ReadDarwin(root["darwin"]!)),
                    _ => root["args"] is { } a
                        ? new RewardGuidedDecodingOptions(folder, reward!, OptionsJson.ReadArgs(a))
                        : new RewardGuidedDecodingOptions(folder, reward!, OptionsJson.ReadBestOfN(root["bestOfN"]!)),
                };
                options.Restore(OptionsJson.ReadGeneration(root["generation"]!), OptionsJson.ReadExecution(root["execution"]),
                    Col("reference"), Col("reward")!, Col("tokenCount"), Col("finishReason"), Col("cost"));
                return new TextGenerationTransformer(Col("output")!, Col("input")!, options, lmHash, rmHash);
            }
            case "ScoreReward":
            {
                var (reward, rmHash) = ReadReward(root["reward"]!, path, relocatedFolders);
                var options = new ScoreRewardOptions(reward!) { BatchSize = root["batchSize"]!.GetValue<int>(), ReferenceColumnName = Col("reference") };
                return new RewardScoringTransformer(Col("output")!, Col("prompt")!, Col("response")!, options, rmHash);
            }
            case QualityMeasuringTransformer.TransformName:
                return QualityManifest.Read(root, path, relocatedFolders);
            default:
                throw new InvalidDataException($"'{path}' names an unknown transform '{transform}'. Fix: load it with the AlignedGen.ML version that saved it.");
        }
    }

    internal static JsonObject Header(string transform) => new()
    {
        ["format"] = AlignedGenTransformerFile.FormatName, ["version"] = AlignedGenTransformerFile.FormatVersion, ["transform"] = transform,
        ["library"] = typeof(AlignedGenTransformerFile).Assembly.GetName().Version?.ToString(),
    };

    internal static JsonObject WriteReward(RewardSpec reward, string? fingerprint, string transform)
    {
        if (!reward.CanSave)
            throw new NotSupportedException($"{transform} cannot be saved: its reward ({reward}) was built in code (RewardSpec.FromSource, or a proxy reward with a custom ExtractQuery). Fix: use RewardSpec.FromFolder or RewardSpec.Proxy with serializable options, or rebuild the transform in code instead of saving it.");
        return reward.Kind == RewardSpecKind.ModelFolder
            ? new JsonObject { ["kind"] = "ModelFolder", ["folder"] = reward.Folder, ["fingerprint"] = fingerprint }
            : new JsonObject { ["kind"] = "Proxy", ["options"] = OptionsJson.Write(reward.ProxyOptions!) };
    }

    internal static (RewardSpec?, string?) ReadReward(JsonNode node, string path, IReadOnlyDictionary<string, string>? relocated)
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

    internal static (string Folder, string Fingerprint) Folder(JsonNode node, string role, string path, IReadOnlyDictionary<string, string>? relocated)
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

}
