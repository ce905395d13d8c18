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
        root["guidingReward"] = o.GuidingReward is null ? null : ReferenceJson.Write(o.GuidingReward, f, transform);
        bool same = o.HeldOutReward is not null && o.HeldOutReward.Equals(o.GuidingReward);
        root["heldOutIsGuiding"] = same;
        root["heldOutReward"] = o.HeldOutReward is null || same ? null : ReferenceJson.Write(o.HeldOutReward, f, transform);
        root["embedder"] = o.Embedder is null ? null : ReferenceJson.Write(o.Embedder, f, transform);
        root["fluencyModel"] = o.FluencyModelFolder is null ? null : ManifestFolders.Write(o.FluencyModelFolder, f);
        root["execution"] = OptionsJson.Write(o.Execution);
        root["promptEncoding"] = OptionsJson.Write(o.PromptEncoding);
        root["measureDiversity"] = o.MeasureDiversity;
        root["batchSize"] = o.BatchSize;
        return root;
    }

    public static QualityMeasuringTransformer Read(JsonNode root, ManifestFolders folders)
    {
        var columns = root["columns"]!;
        string? Col(string name) => columns[name]?.GetValue<string>();
        var guiding = root["guidingReward"] is { } g ? ReferenceJson.ReadReward(g, folders) : null;
        var heldOut = root["heldOutIsGuiding"]?.GetValue<bool>() == true ? guiding
            : root["heldOutReward"] is { } h ? ReferenceJson.ReadReward(h, folders) : null;
        var embedder = root["embedder"] is { } e ? ReferenceJson.ReadEmbedder(e, folders) : null;
        var fluencyFolder = root["fluencyModel"] is { } m ? folders.Read(m, "fluency model") : null;
        var options = new MeasureQualityOptions
        {
            GuidingReward = guiding, HeldOutReward = heldOut, Embedder = embedder, FluencyModelFolder = fluencyFolder,
            Execution = OptionsJson.ReadExecution(root["execution"]), PromptEncoding = OptionsJson.ReadGeneration(root["promptEncoding"]!),
            MeasureDiversity = root["measureDiversity"]!.GetValue<bool>(), BatchSize = root["batchSize"]!.GetValue<int>(),
            ReferenceColumnName = Col("reference"), ColumnPrefix = Col("prefix") ?? "",
            HeldOutRewardColumnName = Col("heldOutReward"), GuidingRewardColumnName = Col("guidingReward"), DiversityColumnName = Col("diversity"),
            CoherenceColumnName = Col("coherence"), FluencyColumnName = Col("fluency"), LengthColumnName = Col("length"),
        };
        return new QualityMeasuringTransformer(Col("prompt")!, Col("response")!, options, folders.Fingerprints);
    }
}
