namespace AlignedGen.ModelBuilding;

/// <summary>
/// Constructs the weights of the tiny models. Token embedding = one-hot in the token band; position embedding =
/// sin/cos pairs in the position band (so every embedding row has the same norm and RMSNorm is a known constant
/// factor); random attention/MLP weights are seeded; the heads read only the bands that the construction fixes.
/// </summary>
internal static class TransformerWeightFactory
{
    public static TransformerWeights ForDecoder(TinyDecoderOptions options)
    {
        var arch = options.Architecture;
        arch.Validate();
        var layout = ResidualLayout.For(options.VocabularySize, arch, hasRewardSlot: false);
        var random = new SeededRandom(arch.Seed);
        var contributes = options.Attention == AttentionContribution.Random;
        var layers = Enumerable.Range(0, arch.Layers).Select(_ => RandomLayer(random, arch, layout, contributes)).ToArray();

        int v = layout.Vocabulary, h = layout.Hidden;
        var head = new float[h * v];
        for (var t = 0; t < v; t++)
            for (var next = 0; next < v; next++)
                head[t * v + next] = options.BigramLogits[t, next];
        if (contributes)
        {
            var std = 1.0 / Math.Sqrt(layout.ScratchDims);
            for (var d = layout.ScratchStart; d < h; d++)
                for (var next = 0; next < v; next++)
                    head[d * v + next] = (float)(random.NextGaussian() * std);
        }
        return Assemble(arch, layout, layers, head, v);
    }

    public static TransformerWeights ForRewardModel(TinyRewardModelOptions options)
    {
        var arch = options.Architecture;
        arch.Validate();
        var meanRule = options.Rule == RewardRule.PrefixMeanValue;
        var layout = ResidualLayout.For(options.VocabularySize, arch, hasRewardSlot: meanRule);
        var random = new SeededRandom(arch.Seed);
        var layers = Enumerable.Range(0, arch.Layers).Select(_ => RandomLayer(random, arch, layout, writeScratch: true)).ToArray();

        var head = new float[layout.Hidden];
        if (meanRule)
        {
            MakeMeanHead(layers[0], arch, layout, options.TokenValues);
            head[layout.RewardSlot] = 1f;
        }
        else
        {
            for (var t = 0; t < layout.Vocabulary; t++) head[t] = options.TokenValues[t];
        }
        return Assemble(arch, layout, layers, head, 1);
    }

    /// <summary>
    /// Layer 0, KV head 0 gets zero keys (uniform attention over the visible prefix) and value dim 0 = value[token]
    /// (undoing RMSNorm's known factor); query head 0's dim 0 is the only thing written to the reward slot.
    /// </summary>
    private static void MakeMeanHead(TransformerLayerWeights layer, TinyTransformerArchitecture arch, ResidualLayout layout, IReadOnlyList<float> values)
    {
        int h = layout.Hidden, kvWidth = arch.KvHeads * arch.HeadSize;
        for (var row = 0; row < h; row++)
        {
            for (var c = 0; c < arch.HeadSize; c++) layer.Key[row * kvWidth + c] = 0f;
            layer.Value[row * kvWidth] = 0f;
        }
        var rmsFactor = Math.Sqrt(layout.EmbeddingMeanSquare + TransformerWeights.NormEpsilon);
        for (var t = 0; t < layout.Vocabulary; t++) layer.Value[t * kvWidth] = (float)(values[t] * rmsFactor);
        layer.Output[layout.RewardSlot] = 1f; // row 0 (head 0, dim 0), column = reward slot
    }

    private static TransformerLayerWeights RandomLayer(SeededRandom random, TinyTransformerArchitecture arch, ResidualLayout layout, bool writeScratch)
    {
        int h = layout.Hidden, qWidth = arch.Heads * arch.HeadSize, kvWidth = arch.KvHeads * arch.HeadSize;
        var inStd = 1.0 / Math.Sqrt(h);
        var layer = new TransformerLayerWeights
        {
            AttentionNorm = Ones(h),
            Query = random.Gaussian(h * qWidth, inStd),
            Key = random.Gaussian(h * kvWidth, inStd),
            Value = random.Gaussian(h * kvWidth, inStd),
            Output = new float[qWidth * h],
            MlpNorm = Ones(h),
            Up = random.Gaussian(h * arch.MlpSize, inStd),
            Down = new float[arch.MlpSize * h],
        };
        if (writeScratch)
        {
            FillScratchColumns(random, layer.Output, qWidth, layout, 1.0 / Math.Sqrt(qWidth));
            FillScratchColumns(random, layer.Down, arch.MlpSize, layout, 1.0 / Math.Sqrt(arch.MlpSize));
        }
        return layer;
    }

    private static void FillScratchColumns(SeededRandom random, float[] matrix, int rows, ResidualLayout layout, double std)
    {
        for (var r = 0; r < rows; r++)
            for (var d = layout.ScratchStart; d < layout.Hidden; d++)
                matrix[r * layout.Hidden + d] = (float)(random.NextGaussian() * std);
    }

    private static TransformerWeights Assemble(TinyTransformerArchitecture arch, ResidualLayout layout, TransformerLayerWeights[] layers, float[] head, int headOutputs)
    {
        int v = layout.Vocabulary, h = layout.Hidden;
        var tokens = new float[v * h];
        for (var t = 0; t < v; t++) tokens[t * h + t] = 1f;
        return new TransformerWeights
        {
            Layout = layout,
            Heads = arch.Heads,
            KvHeads = arch.KvHeads,
            HeadSize = arch.HeadSize,
            MlpSize = arch.MlpSize,
            MaxPositions = arch.MaxPositions,
            TokenEmbedding = tokens,
            PositionEmbedding = Sinusoids(arch.MaxPositions, layout),
            Layers = layers,
            Head = head,
            HeadOutputs = headOutputs,
        };
    }

    /// <summary>P[p, start + 2k] = sin(p·ω_k), P[p, start + 2k + 1] = cos(p·ω_k), ω_k = 10000^(-2k/F).</summary>
    private static float[] Sinusoids(int positions, ResidualLayout layout)
    {
        int h = layout.Hidden, pairs = layout.PositionFeatures / 2;
        var table = new float[positions * h];
        for (var p = 0; p < positions; p++)
        {
            for (var k = 0; k < pairs; k++)
            {
                var angle = p * Math.Pow(10000.0, -2.0 * k / layout.PositionFeatures);
                table[p * h + layout.PositionStart + 2 * k] = (float)Math.Sin(angle);
                table[p * h + layout.PositionStart + 2 * k + 1] = (float)Math.Cos(angle);
            }
        }
        return table;
    }

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }
}
