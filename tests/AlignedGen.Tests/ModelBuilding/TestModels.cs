using AlignedGen.ModelBuilding;
using AlignedGen.Tokenization;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>Small option sets shared by the model-building tests.</summary>
internal static class TestModels
{
    public const int Vocab = 12;

    /// <summary>A table with distinct, seeded values so every row has a clear argmax and rows differ.</summary>
    public static float[,] DistinctTable(int vocab = Vocab, int seed = 7)
    {
        var random = new Random(seed);
        var table = new float[vocab, vocab];
        for (var t = 0; t < vocab; t++)
            for (var n = 0; n < vocab; n++) table[t, n] = (float)Math.Round(random.NextDouble() * 6 - 3, 3);
        return table;
    }

    public static TinyTransformerArchitecture Arch(int layers = 2, int heads = 2, int kvHeads = 2, ulong seed = 3) =>
        new() { Layers = layers, Heads = heads, KvHeads = kvHeads, HeadSize = 8, MlpSize = 16, PositionFeatures = 8, ScratchDims = 8, MaxPositions = 64, Seed = seed };

    public static TinyDecoderOptions Decoder(AttentionContribution attention = AttentionContribution.Random, int heads = 2, int kvHeads = 2,
        bool positionIds = true, bool float16 = false, bool externalData = false, ulong seed = 3) =>
        new(DistinctTable())
        {
            Architecture = Arch(heads: heads, kvHeads: kvHeads, seed: seed),
            Attention = attention,
            IncludePositionIds = positionIds,
            Float16 = float16,
            ExternalData = externalData,
            SpecialTokens = new SpecialTokenIds(0, [1], 2, null),
        };

    public static int[] ArgMaxRows(HostTensor logits)
    {
        int batchSeq = (int)(logits.Shape[0] * logits.Shape[1]), v = (int)logits.Shape[2];
        var result = new int[batchSeq];
        for (var r = 0; r < batchSeq; r++)
        {
            var best = 0;
            for (var c = 1; c < v; c++)
                if (logits.Floats![r * v + c] > logits.Floats![r * v + best]) best = c;
            result[r] = best;
        }
        return result;
    }
}
