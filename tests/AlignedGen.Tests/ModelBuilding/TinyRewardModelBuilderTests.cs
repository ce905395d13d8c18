using AlignedGen.ModelBuilding;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class TinyRewardModelBuilderTests
{
    private const long PadId = 2;

    private static readonly int[][] Texts =
    [
        [0, 5, 3, 5],
        [0, 7, 5, 5, 9, 4, 5],
        [0, 11],
    ];

    private static float[] Values() => [0f, 0f, 0f, 0.5f, -1f, 2f, 0f, 1.5f, 0f, -0.25f, 0f, 3f];

    private static TinyRewardModelOptions Options(RewardRule rule, bool positionIds = true, int heads = 4, int kvHeads = 2) =>
        new(Values(), rule)
        {
            Architecture = TestModels.Arch(heads: heads, kvHeads: kvHeads, seed: 11),
            IncludePositionIds = positionIds,
            SpecialTokens = new SpecialTokenIds(0, [1], (int)PadId, null),
        };

    [Fact]
    public void SequenceClassificationModelHasHuggingFaceSignature()
    {
        using var temp = new TempFolder();
        var folder = TinyRewardModelBuilder.WriteSequenceClassificationFolder(Options(RewardRule.LastTokenValue), temp.Path);
        using var model = new OrtModel(Path.Combine(folder, "model.onnx"));
        Assert.Equal(["input_ids", "attention_mask"], model.Session.InputNames);
        Assert.Equal(["logits"], model.Session.OutputNames);
        Assert.Equal(TensorElementType.Float, model.Session.OutputMetadata["logits"].ElementDataType);
        Assert.Equal(new[] { -1, 1 }, model.Session.OutputMetadata["logits"].Dimensions);
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        Assert.False(File.Exists(Path.Combine(folder, "genai_config.json")));
    }

    [Theory]
    [InlineData(RewardRule.LastTokenValue, false)]
    [InlineData(RewardRule.LastTokenValue, true)]
    [InlineData(RewardRule.PrefixMeanValue, false)]
    [InlineData(RewardRule.PrefixMeanValue, true)]
    public void SequenceClassificationPoolsAtEachRowsLastRealToken(RewardRule rule, bool leftPadding)
    {
        using var temp = new TempFolder();
        var o = Options(rule);
        using var model = new OrtModel(Path.Combine(TinyRewardModelBuilder.WriteSequenceClassificationFolder(o, temp.Path), "model.onnx"));
        var (ids, mask) = Padded(Texts, leftPadding);
        var logits = model.Run(new Dictionary<string, HostTensor> { ["input_ids"] = HostTensor.Int64(ids), ["attention_mask"] = HostTensor.Int64(mask) })["logits"];
        Assert.Equal(new long[] { Texts.Length, 1 }, logits.Shape);
        for (var b = 0; b < Texts.Length; b++)
            Assert.Equal(o.ExpectedReward(Texts[b]), logits[b, 0], 5);
    }

    [Fact]
    public void ARewardThatPaysForOneTokenIsExpressible()
    {
        var values = new float[TestModels.Vocab];
        values[5] = 1f;
        var last = new TinyRewardModelOptions(values, RewardRule.LastTokenValue);
        var mean = new TinyRewardModelOptions(values, RewardRule.PrefixMeanValue);
        int[] text = [0, 5, 3, 5];
        Assert.Equal(1.0, last.ExpectedReward(text));
        Assert.Equal(0.0, last.ExpectedReward(text[..3]));
        Assert.Equal(0.5, mean.ExpectedReward(text));       // 2 of 4 tokens are 5
        Assert.Equal(1.0 / 3, mean.ExpectedReward(text[..3]), 12);

        using var temp = new TempFolder();
        using var model = new OrtModel(Path.Combine(TinyRewardModelBuilder.WriteSequenceClassificationFolder(mean, temp.Path), "model.onnx"));
        var logits = model.Run(new Dictionary<string, HostTensor>
        {
            ["input_ids"] = HostTensor.Int64(Row(0, 5, 3, 5)),
            ["attention_mask"] = HostTensor.Int64(Ones(1, 4)),
        })["logits"];
        Assert.Equal(0.5f, logits[0, 0], 5);
    }

    [Theory]
    [InlineData(RewardRule.LastTokenValue, true)]
    [InlineData(RewardRule.PrefixMeanValue, true)]
    [InlineData(RewardRule.PrefixMeanValue, false)]
    public void CachedScoresAreThePrefixRewardsAndMatchTheSeqclsModel(RewardRule rule, bool positionIds)
    {
        using var temp = new TempFolder();
        var o = Options(rule, positionIds);
        using var cached = new DecoderHarness(Path.Combine(TinyRewardModelBuilder.WriteCachedFolder(o, temp.Sub("cached")), "model.onnx"), 2, 2, 8);
        using var seqcls = new OrtModel(Path.Combine(TinyRewardModelBuilder.WriteSequenceClassificationFolder(o, temp.Sub("seqcls")), "model.onnx"));
        Assert.Equal(positionIds, cached.HasPositionIds);
        Assert.Equal(["scores", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], cached.Model.Session.OutputNames);

        var text = Texts[1];
        var scores = cached.Step(Row(text.Select(t => (long)t).ToArray()), Ones(1, text.Length)).Outputs["scores"];
        Assert.Equal(new long[] { 1, text.Length }, scores.Shape);
        var reference = ReferenceForward.Run(TinyRewardModelBuilder.CreateWeights(o), text);
        for (var i = 0; i < text.Length; i++)
        {
            var prefix = text[..(i + 1)];
            var pooled = seqcls.Run(new Dictionary<string, HostTensor>
            {
                ["input_ids"] = HostTensor.Int64(Row(prefix.Select(t => (long)t).ToArray())),
                ["attention_mask"] = HostTensor.Int64(Ones(1, prefix.Length)),
            })["logits"][0, 0];
            Assert.Equal(o.ExpectedReward(prefix), scores[0, i], 5);
            Assert.Equal(pooled, scores[0, i], 5);
            Assert.Equal(reference[i][0], scores[0, i], 5);
        }
    }

    [Theory]
    [InlineData(RewardRule.LastTokenValue)]
    [InlineData(RewardRule.PrefixMeanValue)]
    public void ArgsStyleCandidateScoringWithARepeatedCacheEqualsFullRecompute(RewardRule rule)
    {
        using var temp = new TempFolder();
        var o = Options(rule, heads: 2, kvHeads: 1);
        using var cached = new DecoderHarness(Path.Combine(TinyRewardModelBuilder.WriteCachedFolder(o, temp.Path), "model.onnx"), 2, 1, 8);
        long[] prefix = [0, 7, 5, 9];
        long[] candidates = [3, 4, 5, 11, 6];
        var (_, prefixCache) = cached.Step(Row(prefix), Ones(1, prefix.Length));

        var ids = new long[candidates.Length, 1];
        var positions = new long[candidates.Length, 1];
        for (var k = 0; k < candidates.Length; k++)
        {
            ids[k, 0] = candidates[k];
            positions[k, 0] = prefix.Length;
        }
        var repeated = prefixCache.ToDictionary(kv => kv.Key, kv => Tile(kv.Value, candidates.Length));
        var (outputs, _) = cached.Step(ids, Ones(candidates.Length, prefix.Length + 1), repeated, positions);
        var scores = outputs["scores"];
        Assert.Equal(new long[] { candidates.Length, 1 }, scores.Shape);
        for (var k = 0; k < candidates.Length; k++)
        {
            long[] full = [.. prefix, candidates[k]];
            var recomputed = cached.Step(Row(full), Ones(1, full.Length)).Outputs["scores"][0, full.Length - 1];
            Assert.Equal(recomputed, scores[k, 0], 5);
            Assert.Equal(o.ExpectedReward(full.Select(t => (int)t).ToArray()), scores[k, 0], 5);
        }
    }

    [Fact]
    public void ExternalDataRewardModelMatchesInlineOne()
    {
        using var temp = new TempFolder();
        var inline = Options(RewardRule.PrefixMeanValue);
        var external = new TinyRewardModelOptions(Values(), RewardRule.PrefixMeanValue) { Architecture = inline.Architecture, ExternalData = true };
        var externalFolder = TinyRewardModelBuilder.WriteCachedFolder(external, temp.Sub("external"));
        Assert.True(File.Exists(Path.Combine(externalFolder, "model.onnx.data")));
        using var a = new DecoderHarness(Path.Combine(TinyRewardModelBuilder.WriteCachedFolder(inline, temp.Sub("inline")), "model.onnx"), 2, 2, 8);
        using var b = new DecoderHarness(Path.Combine(externalFolder, "model.onnx"), 2, 2, 8);
        long[] text = [0, 7, 5, 5, 9];
        Assert.Equal(a.Step(Row(text), Ones(1, 5)).Outputs["scores"].Floats!, b.Step(Row(text), Ones(1, 5)).Outputs["scores"].Floats!);
    }

    [Fact]
    public void RewardOptionsAreValidated()
    {
        Assert.Equal("tokenValues", Assert.Throws<ArgumentException>(() => new TinyRewardModelOptions([1f], RewardRule.LastTokenValue)).ParamName);
        Assert.Equal("tokenValues", Assert.Throws<ArgumentException>(() => new TinyRewardModelOptions([1f, float.NaN], RewardRule.LastTokenValue)).ParamName);
        Assert.Equal("ids", Assert.Throws<ArgumentOutOfRangeException>(() => new TinyRewardModelOptions([1f, 2f], RewardRule.LastTokenValue).ExpectedReward([5])).ParamName);
    }

    /// <summary>Right or left pads every text to the longest with PadId and mask 0.</summary>
    private static (long[,] Ids, long[,] Mask) Padded(int[][] texts, bool left)
    {
        var width = texts.Max(t => t.Length);
        var ids = new long[texts.Length, width];
        var mask = new long[texts.Length, width];
        for (var b = 0; b < texts.Length; b++)
        {
            var offset = left ? width - texts[b].Length : 0;
            for (var j = 0; j < width; j++) ids[b, j] = PadId;
            for (var j = 0; j < texts[b].Length; j++)
            {
                ids[b, offset + j] = texts[b][j];
                mask[b, offset + j] = 1;
            }
        }
        return (ids, mask);
    }

    /// <summary>Repeats a batch-1 cache tensor <paramref name="count"/> times along the batch axis.</summary>
    private static HostTensor Tile(HostTensor single, int count)
    {
        var shape = (long[])single.Shape.Clone();
        shape[0] = count;
        var data = Enumerable.Repeat(single.Floats!, count).SelectMany(x => x).ToArray();
        return HostTensor.Float(data, shape);
    }
}
