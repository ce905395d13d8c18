using System.Text.Json.Nodes;
using AlignedGen.Rewards;

namespace AlignedGen.ML.Persistence;

/// <summary>Writes and reads reward and embedder references in manifests: folders (with fingerprints), the proxy's options, composites of writable parts.</summary>
internal static class ReferenceJson
{
    /// <summary>The reward as JSON; throws <see cref="NotSupportedException"/> naming <paramref name="transform"/> when a part was built in code.</summary>
    public static JsonObject Write(RewardReference reward, FolderFingerprints fingerprints, string transform)
    {
        if (reward.WhyNotWritable is { } reason)
            throw new NotSupportedException($"{transform} cannot be saved: {reason}. Fix: use RewardReference.FromFolder, RewardReference.Proxy with serializable options, or a composite of those, or rebuild the transform in code instead of saving it.");
        return Node(reward, fingerprints);
    }

    /// <summary>The reward <paramref name="node"/> records, its folders checked.</summary>
    public static RewardReference ReadReward(JsonNode node, ManifestFolders folders)
    {
        switch (node["kind"]?.GetValue<string>())
        {
            case "ModelFolder":
                return RewardReference.FromFolder(folders.Read(node, "reward model"));
            case "Proxy":
                return RewardReference.Proxy(OptionsJson.ReadProxy(node["options"]!));
            case "Composite":
                var terms = node["components"]!.AsArray().Select(c => new WeightedRewardReference(
                    ReadReward(c!["reward"]!, folders), c["weight"]!.GetValue<double>(), OptionsJson.ReadNormalization(c["normalization"])));
                return RewardReference.Composite(terms.ToArray(), node["name"]?.GetValue<string>());
            default:
                throw new InvalidDataException($"'{folders.Path}' names an unknown reward kind '{node["kind"]}'. Fix: load it with the AlignedGen.ML version that saved it.");
        }
    }

    /// <summary>The embedder as JSON; throws <see cref="NotSupportedException"/> naming <paramref name="transform"/> when it was built in code.</summary>
    public static JsonObject Write(EmbedderReference embedder, FolderFingerprints fingerprints, string transform)
    {
        if (embedder.WhyNotWritable is { } reason)
            throw new NotSupportedException($"{transform} cannot be saved: {reason}. Fix: use EmbedderReference.MiniLm or EmbedderReference.FromFolder, or rebuild the transform in code instead of saving it.");
        var node = embedder.Kind == EmbedderReferenceKind.MiniLm
            ? new JsonObject { ["kind"] = "MiniLm" }
            : ManifestFolders.Write(embedder.Folder!, fingerprints);
        if (embedder.Kind == EmbedderReferenceKind.ModelFolder) node["kind"] = "ModelFolder";
        node["options"] = OptionsJson.Write(embedder.Options);
        return node;
    }

    /// <summary>The embedder <paramref name="node"/> records, its folder checked.</summary>
    public static EmbedderReference ReadEmbedder(JsonNode node, ManifestFolders folders)
    {
        var options = OptionsJson.ReadEmbedder(node["options"]);
        return node["kind"]?.GetValue<string>() switch
        {
            "MiniLm" => EmbedderReference.MiniLm(options),
            "ModelFolder" => EmbedderReference.FromFolder(folders.Read(node, "sentence embedder"), options),
            _ => throw new InvalidDataException($"'{folders.Path}' names an unknown embedder kind '{node["kind"]}'. Fix: load it with the AlignedGen.ML version that saved it."),
        };
    }

    private static JsonObject Node(RewardReference reward, FolderFingerprints fingerprints)
    {
        switch (reward.Kind)
        {
            case RewardReferenceKind.ModelFolder:
                var folder = ManifestFolders.Write(reward.Folder!, fingerprints);
                folder["kind"] = "ModelFolder";
                return folder;
            case RewardReferenceKind.Proxy:
                return new JsonObject { ["kind"] = "Proxy", ["options"] = OptionsJson.Write(reward.ProxyOptions!) };
            default:
                return new JsonObject
                {
                    ["kind"] = "Composite", ["name"] = reward.Name,
                    ["components"] = new JsonArray(reward.Components.Select(c => (JsonNode)new JsonObject
                    {
                        ["weight"] = c.Weight, ["normalization"] = OptionsJson.Write(c.Normalization), ["reward"] = Node(c.Reward, fingerprints),
                    }).ToArray()),
                };
        }
    }
}
