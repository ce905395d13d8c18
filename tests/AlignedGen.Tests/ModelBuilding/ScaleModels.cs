using AlignedGen.ModelBuilding;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>Tiny Llama / Qwen2 / Mistral shapes (whole int4 blocks, byte-level vocabulary) for the random-decoder builder's tests.</summary>
internal static class ScaleModels
{
    public static readonly int[] Sequence = [256, 72, 101, 108, 108, 111, 44, 32, 119, 111];

    public static DecoderShape Shape(DecoderFamily family, ulong seed = 11) => family switch
    {
        DecoderFamily.Qwen2 => new DecoderShape
        {
            Family = DecoderFamily.Qwen2, HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 1, IntermediateSize = 96,
            TiedEmbeddings = true, RopeTheta = 1_000_000, RmsNormEpsilon = 1e-6f, MaxPositions = 128, Seed = seed,
        },
        DecoderFamily.Mistral => new DecoderShape
        {
            Family = DecoderFamily.Mistral, HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 2, IntermediateSize = 128,
            SlidingWindow = 4, MaxPositions = 128, Seed = seed,
        },
        _ => new DecoderShape { HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 2, IntermediateSize = 128, MaxPositions = 128, Seed = seed },
    };

    public static DecoderModelOptions Options(DecoderFamily family, GraphStyle style, WeightFormat format = WeightFormat.Float32,
        ModelHead head = ModelHead.LanguageModel, int accuracyLevel = 0, bool? externalData = null) =>
        new(Shape(family)) { Style = style, Weights = format, Head = head, Int4AccuracyLevel = accuracyLevel, ExternalData = externalData };

    public static DecoderWeights Weights(DecoderModelOptions o) => new(o.Shape, o.Head, o.Weights);

    public static DecoderHarness Open(string folder, DecoderModelOptions o) =>
        new(Path.Combine(folder, "model.onnx"), o.Shape.Layers, o.Shape.KvHeads, o.Shape.HeadSize, o.Weights == WeightFormat.Float16);

    public static long[] Longs(IEnumerable<int> ids) => ids.Select(i => (long)i).ToArray();
}
