using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;

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

    public static JsonObject Write(SamplingOptions o) => new() { ["temperature"] = o.Temperature, ["topK"] = o.TopK, ["topP"] = o.TopP };

    public static SamplingOptions ReadSampling(JsonNode n) => new(n["temperature"]!.GetValue<double>(), n["topK"]!.GetValue<int>(), n["topP"]!.GetValue<double>());

    public static JsonObject Write(ArgsOptions o) => new() { ["topK"] = o.TopK, ["weight"] = o.Weight, ["stochastic"] = o.Stochastic, ["temperature"] = o.Temperature };

    public static ArgsOptions ReadArgs(JsonNode n) => new(n["topK"]!.GetValue<int>(), n["weight"]!.GetValue<double>(), n["stochastic"]!.GetValue<bool>(), n["temperature"]!.GetValue<double>());

    public static JsonObject Write(BestOfNOptions o) => new() { ["n"] = o.N, ["keepAll"] = o.KeepAll, ["sampling"] = Write(o.Sampling) };

    public static BestOfNOptions ReadBestOfN(JsonNode n) => new(n["n"]!.GetValue<int>(), ReadSampling(n["sampling"]!), n["keepAll"]!.GetValue<bool>());

    public static JsonObject Write(DarwinOptions o, string transform)
    {
        if (o.Mutator is not null)
            throw new NotSupportedException($"{transform} cannot be saved: its DARWIN options use a mutator built in code ({o.Mutator.GetType().Name}). Fix: use the model's own mutation (Mutator = null), or rebuild the transform in code instead of saving it.");
        var template = o.MutationChatTemplate;
        if (template is not null && !IsBuiltIn(template))
            throw new NotSupportedException($"{transform} cannot be saved: its DARWIN mutation chat template '{template.Name}' is custom. Fix: use a built-in template (ChatTemplate.FromName) or null.");
        return new JsonObject
        {
            ["mutations"] = o.Mutations, ["replacementPeriod"] = o.ReplacementPeriod, ["keep"] = o.Keep, ["iterations"] = o.Iterations,
            ["mutationRounds"] = o.MutationRounds, ["sampling"] = Write(o.Sampling), ["mutationPrompt"] = o.MutationPrompt,
            ["mutationMaxNewTokens"] = o.MutationMaxNewTokens, ["mutate"] = o.Mutate, ["mutationChatTemplate"] = template?.Name,
            ["archiveCandidates"] = o.ArchiveCandidates, ["traceSegments"] = o.TraceSegments,
        };
    }

    public static DarwinOptions ReadDarwin(JsonNode n) => new(
        n["mutations"]!.GetValue<int>(), n["replacementPeriod"]!.GetValue<int>(), n["keep"]!.GetValue<int>(), n["iterations"]!.GetValue<int>(),
        n["mutationRounds"]!.GetValue<int>(), ReadSampling(n["sampling"]!), n["mutationPrompt"]!.GetValue<string>(),
        n["mutationMaxNewTokens"]!.GetValue<int>(), n["mutate"]!.GetValue<bool>(),
        n["mutationChatTemplate"]?.GetValue<string>() is { } name ? ChatTemplate.FromName(name) : null,
        n["archiveCandidates"]!.GetValue<int>(), n["traceSegments"]!.GetValue<bool>());

    private static bool IsBuiltIn(ChatTemplate t)
    {
        try
        {
            var builtIn = ChatTemplate.FromName(t.Name);
            return builtIn.Kind == t.Kind && builtIn.BosToken == t.BosToken && builtIn.EosToken == t.EosToken;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

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
