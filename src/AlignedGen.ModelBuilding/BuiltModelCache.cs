using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds random-weight model folders on the fly into a cache folder and reuses them: the folder's name carries a hash of
/// everything that decides its bytes, so a changed option or builder version gets a new folder and nothing stale is read.
/// Tests and the scale benchmark use it; nothing large is committed.
/// </summary>
public static class BuiltModelCache
{
    /// <summary>Changes whenever the builder's output for the same options changes.</summary>
    private const string FormatVersion = "alignedgen-decoder-v1";

    /// <summary>The cache folder used when none is given: $ALIGNEDGEN_MODEL_CACHE, else &lt;temp&gt;/alignedgen-models.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("ALIGNEDGEN_MODEL_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "alignedgen-models");

    /// <summary>Returns the folder of the model <paramref name="options"/> describe, building it first when absent.</summary>
    /// <param name="label">A readable prefix for the folder name, e.g. the preset's name.</param>
    public static string Ensure(DecoderModelOptions options, string label, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var name = $"{label}-{Describe(options.Style)}-{Describe(options.Weights)}-{Describe(options.Head)}-{Key(options)}";
        return FolderCache.Ensure(cacheDirectory ?? DefaultDirectory, name, ModelConfigWriter.ModelFile,
            staging => DecoderModelBuilder.WriteFolder(options, staging));
    }

    /// <summary>
    /// The folder of preset <paramref name="presetName"/> (see <see cref="ModelPresets"/>) in a style, format and head,
    /// building it first when absent. <paramref name="sharedRoot"/> is the ../shared folder for presets whose tokenizer lives there.
    /// </summary>
    public static string EnsurePreset(string presetName, GraphStyle style, WeightFormat weights, ModelHead head = ModelHead.LanguageModel,
        string? sharedRoot = null, string? cacheDirectory = null, int int4AccuracyLevel = 4)
    {
        var preset = ModelPresets.Get(presetName);
        var options = new DecoderModelOptions(preset.Shape)
        {
            Style = style,
            Weights = weights,
            Head = head,
            Int4AccuracyLevel = int4AccuracyLevel,
            ExternalData = preset.Shape.ParameterCount > 10_000_000 ? true : null,   // as onnxruntime-genai's builder writes real models
            Tokenizer = ModelPresets.TokenizerFor(preset, sharedRoot),
        };
        return Ensure(options, preset.Name, cacheDirectory);
    }

    private static string Describe(GraphStyle style) => style == GraphStyle.GenAi ? "genai" : "optimum";
    private static string Describe(WeightFormat weights) => weights switch { WeightFormat.Float16 => "fp16", WeightFormat.Int4 => "int4", _ => "fp32" };
    private static string Describe(ModelHead head) => head switch { ModelHead.SequenceClassification => "seqcls", ModelHead.CachedScores => "cachedrm", _ => "lm" };

    private static string Key(DecoderModelOptions o)
    {
        var s = o.Shape;
        var specials = o.SpecialTokens ?? o.Tokenizer?.SpecialTokens;
        var text = string.Join("|", FormatVersion, s.Family, s.VocabularySize, s.HiddenSize, s.Layers, s.Heads, s.KvHeads, s.IntermediateSize,
            s.RopeTheta.ToString("R", CultureInfo.InvariantCulture), s.TiedEmbeddings, s.HasQkvBias, s.SlidingWindow, s.MaxPositions,
            s.RmsNormEpsilon.ToString("R", CultureInfo.InvariantCulture), s.Seed, o.Style, o.Weights, o.Head, o.Int4AccuracyLevel, o.ExternalData,
            o.Tokenizer?.Description ?? "none", specials?.Bos, string.Join(",", specials?.Eos ?? []), specials?.Pad);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
