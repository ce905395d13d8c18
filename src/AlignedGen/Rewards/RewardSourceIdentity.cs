using System.Globalization;
using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Rewards;

/// <summary>
/// What a reward source is, for job manifests: an ONNX reward model by its folder's files (size and SHA-256 each) and the
/// options that change its scores; the proxy reward by its options and embedder; a composite by its components, weights
/// and normalisations; any <see cref="IIdentifiableRewardSource"/> by its own description; anything else by type and name.
/// Display names are left out where the source has more (renaming a model does not change its scores).
/// </summary>
public static class RewardSourceIdentity
{
    /// <summary>The identity of <paramref name="source"/> as JSON.</summary>
    public static JsonObject Of(IRewardSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source switch
        {
            IIdentifiableRewardSource described => Tagged(source, described.DescribeIdentity()),
            OnnxRewardModel onnx => Onnx(onnx),
            ProxyRewardSource proxy => Proxy(proxy),
            CompositeRewardSource composite => Composite(composite),
            _ => new JsonObject { ["kind"] = source.GetType().FullName, ["name"] = source.Name },
        };
    }

    private static JsonObject Tagged(IRewardSource source, JsonObject facts)
    {
        var identity = new JsonObject { ["kind"] = source.GetType().FullName };
        foreach (var (key, value) in facts) identity[key] = value?.DeepClone();
        return identity;
    }

    private static JsonObject Onnx(OnnxRewardModel model)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(model.ModelPath))!;
        var files = FileFingerprint.OfFolder(folder);
        // Optimum layouts keep the graph in onnx/ and the tokenizer and config beside that folder.
        if (Path.GetFileName(folder) == "onnx" && Path.GetDirectoryName(folder) is { } parent)
            foreach (var (name, value) in FileFingerprint.OfFolder(parent)) files["../" + name] = value?.DeepClone();
        return new JsonObject
        {
            ["kind"] = "onnx-reward-model",
            ["model_kind"] = model.Kind.ToString(),
            ["model_file"] = Path.GetFileName(model.ModelPath),
            ["files"] = files,
            ["input_format"] = model.InputFormat.Name,
            ["max_length"] = model.MaxLength,
            ["truncation"] = model.Options.Truncation.ToString(),
            ["token_ids"] = model.Options.UseTokenIds,
        };
    }

    private static JsonObject Proxy(ProxyRewardSource proxy)
    {
        var o = proxy.Options;
        return new JsonObject
        {
            ["kind"] = "proxy-reward",
            ["length_incentive"] = o.UseLengthIncentive,
            ["repetition_penalty"] = o.UseRepetitionPenalty,
            ["relevance"] = o.UseRelevance,
            ["reference_branch"] = o.UseReferenceBranch,
            ["stop_markers"] = new JsonArray(o.StopMarkers.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["custom_query_extraction"] = o.ExtractQuery is not null,
            ["embedder"] = proxy.Embedder is null ? null : new JsonObject
            {
                ["kind"] = proxy.Embedder.GetType().FullName,
                ["description"] = proxy.Embedder.ToString(),
            },
        };
    }

    private static JsonObject Composite(CompositeRewardSource composite) => new()
    {
        ["kind"] = "composite-reward",
        ["components"] = new JsonArray(composite.Components.Select(c => (JsonNode?)new JsonObject
        {
            ["weight"] = c.Weight.ToString("R", CultureInfo.InvariantCulture),
            ["normalization"] = c.Normalization.ToString(),
            ["source"] = Of(c.Source),
        }).ToArray()),
    };
}
