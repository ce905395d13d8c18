using System.Text.Json.Nodes;
using AlignedGen.Decoding;
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
            ["error"] = o.ErrorColumnName,
        };
        root["model"] = ManifestFolders.Write(o.ModelFolder, transformer.Fingerprints);
        root["reward"] = transformer.Reward is null ? null : ReferenceJson.Write(transformer.Reward, transformer.Fingerprints, transformer.TransformName);
        root["generation"] = OptionsJson.Write(o.Generation);
        root["execution"] = OptionsJson.Write(o.Execution);
        root["strategy"] = StrategyJson.Write(o.Strategy, transformer.TransformName);
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
        root["reward"] = ReferenceJson.Write(transformer.Options.Reward, transformer.Fingerprints, "ScoreReward");
        root["batchSize"] = transformer.Options.BatchSize;
        return root;
    }

    /// <summary>Rebuilds a transformer from its manifest, checking each model folder (relocated when mapped) against its fingerprint.</summary>
    public static ITransformer Read(JsonNode root, string path, IReadOnlyDictionary<string, string>? relocatedFolders)
    {
        var transform = root["transform"]?.GetValue<string>();
        var columns = root["columns"]!;
        var folders = new ManifestFolders(path, relocatedFolders);
        string? Col(string name) => columns[name]?.GetValue<string>();
        switch (transform)
        {
            case "GenerateText":
            case "ApplyRewardGuidedDecoding":
            case "ApplyDarwinDecoding":
            {
                var folder = folders.Read(root["model"]!, "language model");
                var reward = root["reward"] is { } r ? ReferenceJson.ReadReward(r, folders) : null;
                var strategy = StrategyJson.Read(root["strategy"]!, path);
                DecodingTransformOptions options = transform switch
                {
                    "GenerateText" => new GenerateTextOptions(folder) { Sampling = (SamplingOptions)strategy.Options, Reward = reward },
                    "ApplyDarwinDecoding" => new DarwinDecodingOptions(folder, reward!, (DarwinOptions)strategy.Options),
                    _ => new RewardGuidedDecodingOptions(folder, reward!, strategy),
                };
                options.Restore(OptionsJson.ReadGeneration(root["generation"]!), OptionsJson.ReadExecution(root["execution"]),
                    Col("reference"), Col("reward")!, Col("tokenCount"), Col("finishReason"), Col("cost"), Col("error"));
                return new TextGenerationTransformer(Col("output")!, Col("input")!, options, folders.Fingerprints);
            }
            case "ScoreReward":
            {
                var reward = ReferenceJson.ReadReward(root["reward"]!, folders);
                var options = new ScoreRewardOptions(reward) { BatchSize = root["batchSize"]!.GetValue<int>(), ReferenceColumnName = Col("reference") };
                return new RewardScoringTransformer(Col("output")!, Col("prompt")!, Col("response")!, options, folders.Fingerprints);
            }
            case QualityMeasuringTransformer.TransformName:
                return QualityManifest.Read(root, folders);
            default:
                throw new InvalidDataException($"'{path}' names an unknown transform '{transform}'. Fix: load it with the AlignedGen.ML version that saved it.");
        }
    }

    internal static JsonObject Header(string transform) => new()
    {
        ["format"] = AlignedGenTransformerFile.FormatName, ["version"] = AlignedGenTransformerFile.FormatVersion, ["transform"] = transform,
        ["library"] = typeof(AlignedGenTransformerFile).Assembly.GetName().Version?.ToString(),
    };
}
