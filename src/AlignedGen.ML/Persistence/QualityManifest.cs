using System.Text.Json.Nodes;
using AlignedGen.ML.Transforms;

namespace AlignedGen.ML.Persistence;

/// <summary>The JSON manifest of a <see cref="QualityMeasuringTransformer"/>: columns, sources (folders with fingerprints, proxy and embedder options) and evaluation options.</summary>
internal static class QualityManifest
{
    public static JsonObject Write(QualityMeasuringTransformer transformer)
    {
        var o = transformer.Options;
        var f = transformer.Fingerprints;
        const string transform = QualityMeasuringTransformer.TransformName;
        var root = TransformerManifest.Header(transform);
        root["columns"] = new JsonObject
        {
            ["prompt"] = transformer.PromptColumnName, ["response"] = transformer.ResponseColumnName, ["reference"] = o.ReferenceColumnName,
            ["prefix"] = o.ColumnPrefix,
            ["heldOutReward"] = o.HeldOutRewardColumnName, ["guidingReward"] = o.GuidingRewardColumnName, ["diversity"] = o.DiversityColumnName,
            ["coherence"] = o.CoherenceColumnName, ["fluency"] = o.FluencyColumnName, ["length"] = o.LengthColumnName,
        };
        root["guidingReward"] = o.GuidingReward is null ? null : TransformerManifest.WriteReward(o.GuidingReward, f.GuidingReward, transform);
        bool same = o.HeldOutReward is not null && ReferenceEquals(o.HeldOutReward, o.GuidingReward);
        root["heldOutIsGuiding"] = same;
        root["heldOutReward"] = o.HeldOutReward is null || same ? null : TransformerManifest.WriteReward(o.HeldOutReward, f.HeldOutReward, transform);
        root["embedder"] = o.Embedder is null ? null : WriteEmbedder(o.Embedder, f.Embedder);
        root["fluencyModel"] = o.FluencyModelFolder is null ? null : new JsonObject { ["folder"] = o.FluencyModelFolder, ["fingerprint"] = f.FluencyModel };
        root["execution"] = OptionsJson.Write(o.Execution);
        root["promptEncoding"] = OptionsJson.Write(o.PromptEncoding);
        root["measureDiversity"] = o.MeasureDiversity;
        root["batchSize"] = o.BatchSize;
        return root;
    }

    public static QualityMeasuringTransformer Read(JsonNode root, string path, IReadOnlyDictionary<string, string>? relocated)
    {
        var columns = root["columns"]!;
        string? Col(string name) => columns[name]?.GetValue<string>();
        var (guiding, guidingHash) = root["guidingReward"] is { } g ? TransformerManifest.ReadReward(g, path, relocated) : (null, null);
        var (heldOut, heldOutHash) = root["heldOutIsGuiding"]?.GetValue<bool>() == true ? (guiding, guidingHash)
            : root["heldOutReward"] is { } h ? TransformerManifest.ReadReward(h, path, relocated) : (null, null);
        var (embedder, embedderHash) = root["embedder"] is { } e ? ReadEmbedder(e, path, relocated) : (null, null);
        var (fluencyFolder, fluencyHash) = root["fluencyModel"] is { } m ? TransformerManifest.Folder(m, "fluency model", path, relocated) : ((string?)null, (string?)null);
        var options = new MeasureQualityOptions
        {
            GuidingReward = guiding, HeldOutReward = heldOut, Embedder = embedder, FluencyModelFolder = fluencyFolder,
            Execution = OptionsJson.ReadExecution(root["execution"]), PromptEncoding = OptionsJson.ReadGeneration(root["promptEncoding"]!),
            MeasureDiversity = root["measureDiversity"]!.GetValue<bool>(), BatchSize = root["batchSize"]!.GetValue<int>(),
            ReferenceColumnName = Col("reference"), ColumnPrefix = Col("prefix") ?? "",
            HeldOutRewardColumnName = Col("heldOutReward"), GuidingRewardColumnName = Col("guidingReward"), DiversityColumnName = Col("diversity"),
            CoherenceColumnName = Col("coherence"), FluencyColumnName = Col("fluency"), LengthColumnName = Col("length"),
        };
        return new QualityMeasuringTransformer(Col("prompt")!, Col("response")!, options, new QualityFingerprints(fluencyHash, guidingHash, heldOutHash, embedderHash));
    }

    private static JsonObject WriteEmbedder(EmbedderSpec embedder, string? fingerprint)
    {
        if (!embedder.CanSave)
            throw new NotSupportedException($"{QualityMeasuringTransformer.TransformName} cannot be saved: its {embedder} was built in code (EmbedderSpec.FromEmbedder). Fix: use EmbedderSpec.MiniLm or EmbedderSpec.FromFolder, or rebuild the transform in code instead of saving it.");
        return embedder.Kind == EmbedderSpecKind.MiniLm
            ? new JsonObject { ["kind"] = "MiniLm", ["options"] = OptionsJson.Write(embedder.Options) }
            : new JsonObject { ["kind"] = "ModelFolder", ["folder"] = embedder.Folder, ["fingerprint"] = fingerprint, ["options"] = OptionsJson.Write(embedder.Options) };
    }

    private static (EmbedderSpec, string?) ReadEmbedder(JsonNode node, string path, IReadOnlyDictionary<string, string>? relocated)
    {
        var options = OptionsJson.ReadEmbedder(node["options"]);
        switch (node["kind"]?.GetValue<string>())
        {
            case "MiniLm":
                return (EmbedderSpec.MiniLm(options), null);
            case "ModelFolder":
                var (folder, hash) = TransformerManifest.Folder(node, "sentence embedder", path, relocated);
                return (EmbedderSpec.FromFolder(folder, options), hash);
            default:
                throw new InvalidDataException($"'{path}' names an unknown embedder kind '{node["kind"]}'. Fix: load it with the AlignedGen.ML version that saved it.");
        }
    }
}
