using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML.Persistence;

/// <summary>Writes and reads the core options objects as JSON (every value that decides the output).</summary>
internal static class OptionsJson
{
    public static JsonObject Write(GenerationOptions o) => new()
    {
        ["maxNewTokens"] = o.MaxNewTokens,
        ["batchSize"] = o.BatchSize,
        ["stopStrings"] = new JsonArray(o.StopStrings.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        ["stopAtEos"] = o.StopAtEos,
        ["addSpecialTokens"] = o.AddSpecialTokens,
        ["chatTemplate"] = o.ChatTemplate,
        ["seed"] = o.Seed,
    };

    public static GenerationOptions ReadGeneration(JsonNode n) => new(
        n["maxNewTokens"]!.GetValue<int>(), n["batchSize"]!.GetValue<int>(),
        n["stopStrings"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray(),
        n["stopAtEos"]!.GetValue<bool>(), n["addSpecialTokens"]!.GetValue<bool>(),
        n["chatTemplate"]?.GetValue<string>(), n["seed"]?.GetValue<int>());

    /// <summary>None (null) or a z-score with its statistics; affine maps are not written (see RewardReference.WhyNotWritable).</summary>
    public static JsonObject? Write(RewardNormalization n) => n.Statistics is { } s
        ? new JsonObject { ["mean"] = s.Mean, ["standardDeviation"] = s.StandardDeviation, ["count"] = s.Count }
        : null;

    public static RewardNormalization ReadNormalization(JsonNode? n) => n is null ? RewardNormalization.None
        : RewardNormalization.ZScore(new RewardStatistics(n["mean"]!.GetValue<double>(), n["standardDeviation"]!.GetValue<double>(), n["count"]!.GetValue<int>()));

    public static JsonObject? Write(ExecutionOptions? o) => o is null ? null : new()
    {
        ["device"] = o.Device.ToString(), ["deviceId"] = o.DeviceId, ["allowCpuFallback"] = o.AllowCpuFallback, ["intraOpThreads"] = o.IntraOpThreads,
    };

    public static ExecutionOptions? ReadExecution(JsonNode? n) => n is null ? null : new(
        Enum.Parse<ExecutionDevice>(n["device"]!.GetValue<string>()), n["deviceId"]!.GetValue<int>(), n["allowCpuFallback"]!.GetValue<bool>(), n["intraOpThreads"]!.GetValue<int>());

    public static JsonObject Write(ProxyRewardOptions o) => new()
    {
        ["name"] = o.Name,
        ["stopMarkers"] = new JsonArray(o.StopMarkers.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        ["useLengthIncentive"] = o.UseLengthIncentive,
        ["useRepetitionPenalty"] = o.UseRepetitionPenalty,
        ["useRelevance"] = o.UseRelevance,
        ["useReferenceBranch"] = o.UseReferenceBranch,
        ["maxSequenceLength"] = o.MaxSequenceLength,
        ["relevanceScale"] = o.RelevanceScale,
    };

    public static ProxyRewardOptions ReadProxy(JsonNode n) => new()
    {
        Name = n["name"]!.GetValue<string>(),
        StopMarkers = n["stopMarkers"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray(),
        UseLengthIncentive = n["useLengthIncentive"]!.GetValue<bool>(),
        UseRepetitionPenalty = n["useRepetitionPenalty"]!.GetValue<bool>(),
        UseRelevance = n["useRelevance"]!.GetValue<bool>(),
        UseReferenceBranch = n["useReferenceBranch"]!.GetValue<bool>(),
        MaxSequenceLength = n["maxSequenceLength"]!.GetValue<int>(),
        RelevanceScale = n["relevanceScale"]!.GetValue<double>(),
    };

    public static JsonObject? Write(SentenceEmbedderOptions? o) => o is null ? null : new()
    {
        ["batchSize"] = o.BatchSize, ["maxLength"] = o.MaxLength, ["truncateFromStart"] = o.TruncateFromStart, ["normalize"] = o.Normalize,
        ["name"] = o.Name, ["execution"] = Write(o.Execution),
    };

    public static SentenceEmbedderOptions? ReadEmbedder(JsonNode? n) => n is null ? null : new()
    {
        BatchSize = n["batchSize"]!.GetValue<int>(), MaxLength = n["maxLength"]!.GetValue<int>(), TruncateFromStart = n["truncateFromStart"]!.GetValue<bool>(),
        Normalize = n["normalize"]!.GetValue<bool>(), Name = n["name"]?.GetValue<string>(), Execution = ReadExecution(n["execution"]) ?? ExecutionOptions.Default,
    };

    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };
}
