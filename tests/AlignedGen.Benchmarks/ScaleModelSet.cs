using AlignedGen.ModelBuilding;

namespace AlignedGen.Benchmarks;

/// <summary>
/// The random-weight folders one scale run needs for a preset and weight format, built on first use into the model cache
/// (onnxruntime-genai graph style, as its builder writes for CPUs): the LM, a cached reward model of the same shape and
/// one of a quarter of its parameters (same family and vocabulary), and a sequence-classification reward model.
/// </summary>
public sealed class ScaleModelSet(string preset, WeightFormat format, string? sharedRoot, string? cacheDirectory)
{
    public string Preset => preset;
    public WeightFormat Format => format;
    public string FormatName => format switch { WeightFormat.Int4 => "int4", WeightFormat.Float16 => "fp16", _ => "fp32" };

    public string LanguageModel => Build(preset, GraphStyle.GenAi, ModelHead.LanguageModel);
    public string CachedRewardModel => Build(preset, GraphStyle.GenAi, ModelHead.CachedScores);
    public string QuarterRewardModel => Build(preset + "-quarter", GraphStyle.GenAi, ModelHead.CachedScores);
    public string SequenceClassifier => Build(preset, GraphStyle.Optimum, ModelHead.SequenceClassification);

    /// <summary>Builds every folder of the set (each is reused once built), printing what each takes on disk.</summary>
    public void BuildAll()
    {
        foreach (var folder in new[] { LanguageModel, CachedRewardModel, QuarterRewardModel, SequenceClassifier })
        {
            long bytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"  {Path.GetFileName(folder)}: {MachineProbe.Bytes(bytes)}");
        }
    }

    /// <summary>KV-cache bytes of one token position in one row of a preset (all layers, keys and values, float32 cache).</summary>
    public static long KeyValueBytesPerPosition(string presetName) => ModelPresets.Get(presetName).Shape.KeyValueBytesPerPosition(4);

    private string Build(string name, GraphStyle style, ModelHead head)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var folder = BuiltModelCache.EnsurePreset(name, style, format, head, sharedRoot, cacheDirectory);
        if (started.Elapsed.TotalSeconds > 2) Console.WriteLine($"  built {Path.GetFileName(folder)} in {started.Elapsed.TotalSeconds:F0} s");
        return folder;
    }
}
