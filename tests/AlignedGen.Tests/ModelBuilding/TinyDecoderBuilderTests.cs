using AlignedGen.ModelBuilding;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;
using AlignedGen.Tokenization;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class TinyDecoderBuilderTests
{
    private static readonly long[] Sequence = [0, 5, 3, 9, 9, 4, 11, 7];

    private static DecoderHarness Open(string folder, TinyDecoderOptions o) =>
        new(Path.Combine(folder, "model.onnx"), o.Architecture.Layers, o.Architecture.KvHeads, o.Architecture.HeadSize, o.Float16);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void InputsAndOutputsHaveOptimumNamesShapesAndTypes(bool positionIds, bool float16)
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(positionIds: positionIds, float16: float16, kvHeads: 1);
        using var model = new OrtModel(Path.Combine(TinyDecoderBuilder.WriteFolder(o, temp.Path), "model.onnx"));
        var floatType = float16 ? TensorElementType.Float16 : TensorElementType.Float;

        var expectedInputs = new List<string> { "input_ids", "attention_mask" };
        if (positionIds) expectedInputs.Add("position_ids");
        expectedInputs.AddRange(["past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"]);
        Assert.Equal(expectedInputs, model.Session.InputNames);
        Assert.Equal(["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], model.Session.OutputNames);

        var inputs = model.Session.InputMetadata;
        Assert.Equal(TensorElementType.Int64, inputs["input_ids"].ElementDataType);
        Assert.Equal(new[] { -1, -1 }, inputs["input_ids"].Dimensions);
        Assert.Equal(new[] { "batch_size", "total_sequence_length" }, inputs["attention_mask"].SymbolicDimensions);
        Assert.Equal(floatType, inputs["past_key_values.1.value"].ElementDataType);
        Assert.Equal(new[] { -1, 1, -1, 8 }, inputs["past_key_values.1.value"].Dimensions);
        var outputs = model.Session.OutputMetadata;
        Assert.Equal(floatType, outputs["logits"].ElementDataType);
        Assert.Equal(new[] { -1, -1, TestModels.Vocab }, outputs["logits"].Dimensions);
        Assert.Equal(new[] { "batch_size", "", "total_sequence_length", "" }, outputs["present.0.key"].SymbolicDimensions);
    }

    [Fact]
    public void SilentModelLogitsAreTheBigramRowOfEachToken()
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(AttentionContribution.Silent, heads: 4, kvHeads: 2);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var (outputs, cache) = run.Step(Row(Sequence), Ones(1, Sequence.Length));
        var logits = outputs["logits"];
        Assert.Equal(new long[] { 1, Sequence.Length, TestModels.Vocab }, logits.Shape);
        for (var i = 0; i < Sequence.Length; i++)
            for (var v = 0; v < TestModels.Vocab; v++)
                Assert.Equal(o.BigramLogits[Sequence[i], v], logits[0, i, v], 5);
        Assert.Equal(new long[] { 1, 2, Sequence.Length, 8 }, cache["past_key_values.1.key"].Shape);
        Assert.Contains(cache["past_key_values.0.key"].Floats!, value => Math.Abs(value) > 1e-3); // the cache is real
    }

    [Fact]
    public void GreedyDecodingFollowsTheSuccessorChain()
    {
        using var temp = new TempFolder();
        int[] successors = [3, 0, 1, 7, 2, 9, 4, 5, 11, 6, 8, 10];
        var o = new TinyDecoderOptions(BigramTable.FromSuccessors(successors)) { Architecture = TestModels.Arch(heads: 2, kvHeads: 1) };
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var (outputs, cache) = run.Step(Row(4), Ones(1, 1));
        var produced = new List<int>();
        for (var step = 0; step < 12; step++)
        {
            var next = TestModels.ArgMaxRows(outputs["logits"])[^1];
            produced.Add(next);
            (outputs, cache) = run.Step(Row(next), Ones(1, step + 2), cache);
        }
        var expected = new List<int>();
        for (int t = 4, i = 0; i < 12; i++) expected.Add(t = successors[t]);
        Assert.Equal(expected, produced);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(4, 2)]
    [InlineData(4, 1)]
    public void RandomModelMatchesAnIndependentReferenceForwardPass(int heads, int kvHeads)
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(heads: heads, kvHeads: kvHeads);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var logits = run.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        var reference = ReferenceForward.Run(TinyDecoderBuilder.CreateWeights(o), Sequence.Select(t => (int)t).ToArray());
        var maxDiff = 0.0;
        var maxFromTable = 0.0;
        for (var i = 0; i < Sequence.Length; i++)
        {
            for (var v = 0; v < TestModels.Vocab; v++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(logits[0, i, v] - reference[i][v]));
                maxFromTable = Math.Max(maxFromTable, Math.Abs(logits[0, i, v] - o.BigramLogits[Sequence[i], v]));
            }
        }
        Assert.True(maxDiff < 1e-4, $"ONNX vs reference max |diff| = {maxDiff}");
        Assert.True(maxFromTable > 0.1, $"attention should move the logits away from the table, moved {maxFromTable}");
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public void CachedStepsEqualFullRecompute(bool positionIds, int kvHeads)
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(heads: 4, kvHeads: kvHeads, positionIds: positionIds);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var full = run.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];

        // Prefill 3 tokens, then a 2-token chunk, then one token at a time.
        var (outputs, cache) = run.Step(Row(Sequence[..3]), Ones(1, 3));
        AssertRowsEqual(full, 0, outputs["logits"], 3);
        (outputs, cache) = run.Step(Row(Sequence[3..5]), Ones(1, 5), cache);
        AssertRowsEqual(full, 3, outputs["logits"], 2);
        for (var i = 5; i < Sequence.Length; i++)
        {
            (outputs, cache) = run.Step(Row(Sequence[i]), Ones(1, i + 1), cache);
            AssertRowsEqual(full, i, outputs["logits"], 1);
        }
        Assert.Equal(Sequence.Length, cache["past_key_values.0.value"].Shape[2]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LeftPaddingGivesTheSameLogitsForRealTokens(bool positionIds)
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(heads: 4, kvHeads: 2, positionIds: positionIds);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        long[] shortRow = [0, 7, 2, 5];
        var pad = Sequence.Length - shortRow.Length;
        var ids = new long[2, Sequence.Length];
        var mask = Ones(2, Sequence.Length);
        for (var j = 0; j < Sequence.Length; j++)
        {
            ids[0, j] = j < pad ? 2 : shortRow[j - pad];
            mask[0, j] = j < pad ? 0 : 1;
            ids[1, j] = Sequence[j];
        }
        var (batched, cache) = run.Step(ids, mask);
        var alone = run.Step(Row(shortRow), Ones(1, shortRow.Length)).Outputs["logits"];
        var aloneLong = run.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        for (var i = 0; i < shortRow.Length; i++)
            for (var v = 0; v < TestModels.Vocab; v++)
            {
                Assert.Equal(alone[0, i, v], batched["logits"][0, pad + i, v], 4);
                Assert.Equal(aloneLong[0, pad + i, v], batched["logits"][1, pad + i, v], 4);
            }
        Assert.All(batched["logits"].Floats!, value => Assert.True(float.IsFinite(value)));

        // One cached step for both rows: the padded row still matches its unpadded run.
        var nextIds = new long[,] { { 4 }, { 4 } };
        var nextMask = new long[2, Sequence.Length + 1];
        for (var j = 0; j <= Sequence.Length; j++)
        {
            nextMask[0, j] = j < pad ? 0 : 1;
            nextMask[1, j] = 1;
        }
        var stepped = run.Step(nextIds, nextMask, cache).Outputs["logits"];
        var aloneNext = run.Step(Row([.. shortRow, 4]), Ones(1, shortRow.Length + 1)).Outputs["logits"];
        for (var v = 0; v < TestModels.Vocab; v++)
            Assert.Equal(aloneNext[0, shortRow.Length, v], stepped[0, 0, v], 4);
    }

    [Fact]
    public void ModelWithoutPositionIdsEqualsModelWithThem()
    {
        using var temp = new TempFolder();
        var withIds = TestModels.Decoder(positionIds: true);
        var withoutIds = TestModels.Decoder(positionIds: false);
        using var a = Open(TinyDecoderBuilder.WriteFolder(withIds, temp.Sub("a")), withIds);
        using var b = Open(TinyDecoderBuilder.WriteFolder(withoutIds, temp.Sub("b")), withoutIds);
        Assert.True(a.HasPositionIds);
        Assert.False(b.HasPositionIds);
        var la = a.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        var lb = b.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        Assert.Equal(la.Floats!, lb.Floats!, (x, y) => Math.Abs(x - y) < 1e-5f);

        // Positions matter: shifting position_ids changes the random model's logits.
        var shifted = new long[1, Sequence.Length];
        for (var i = 0; i < Sequence.Length; i++) shifted[0, i] = i + 5;
        var ls = a.Step(Row(Sequence), Ones(1, Sequence.Length), positions: shifted).Outputs["logits"];
        Assert.Contains(Enumerable.Range(0, la.Floats!.Length), k => Math.Abs(la.Floats![k] - ls.Floats![k]) > 1e-3);
    }

    [Fact]
    public void Float16ModelLoadsRunsAndKeepsTheTable()
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(AttentionContribution.Silent, float16: true);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var (outputs, cache) = run.Step(Row(Sequence[..4]), Ones(1, 4));
        Assert.True(outputs["logits"].IsHalf);
        Assert.True(cache["past_key_values.0.key"].IsHalf);
        for (var v = 0; v < TestModels.Vocab; v++)
            Assert.Equal((float)(Half)o.BigramLogits[Sequence[3], v], outputs["logits"][0, 3, v], 3);
        (outputs, _) = run.Step(Row(Sequence[4]), Ones(1, 5), cache);
        for (var v = 0; v < TestModels.Vocab; v++)
            Assert.Equal((float)(Half)o.BigramLogits[Sequence[4], v], outputs["logits"][0, 0, v], 3);
    }

    [Fact]
    public void Float16RandomModelCacheStaysCloseToFullRecompute()
    {
        using var temp = new TempFolder();
        var o = TestModels.Decoder(float16: true);
        using var run = Open(TinyDecoderBuilder.WriteFolder(o, temp.Path), o);
        var full = run.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        var (outputs, cache) = run.Step(Row(Sequence[..5]), Ones(1, 5));
        (outputs, _) = run.Step(Row(Sequence[5]), Ones(1, 6), cache);
        for (var v = 0; v < TestModels.Vocab; v++)
            Assert.True(Math.Abs(full[0, 5, v] - outputs["logits"][0, 0, v]) < 2e-2, $"fp16 cache drift at {v}");
    }

    [Fact]
    public void ExternalDataLayoutLoadsAndMatchesInlineModel()
    {
        using var temp = new TempFolder();
        var inline = TestModels.Decoder();
        var external = TestModels.Decoder(externalData: true);
        var inlineFolder = TinyDecoderBuilder.WriteFolder(inline, temp.Sub("inline"));
        var externalFolder = TinyDecoderBuilder.WriteFolder(external, temp.Sub("external"));
        Assert.False(File.Exists(Path.Combine(inlineFolder, "model.onnx.data")));
        var dataFile = new FileInfo(Path.Combine(externalFolder, "model.onnx.data"));
        Assert.True(dataFile.Exists);
        Assert.True(new FileInfo(Path.Combine(externalFolder, "model.onnx")).Length < dataFile.Length / 4, "large weights should live in model.onnx.data");
        using var a = Open(inlineFolder, inline);
        using var b = Open(externalFolder, external);
        var la = a.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        var lb = b.Step(Row(Sequence), Ones(1, Sequence.Length)).Outputs["logits"];
        Assert.Equal(la.Floats!, lb.Floats!);
    }

    [Fact]
    public void BuildingTwiceGivesIdenticalBytesAndSeedsChangeWeights()
    {
        using var temp = new TempFolder();
        var first = FolderHashes.Of(TinyDecoderBuilder.WriteFolder(TestModels.Decoder(), temp.Sub("a")));
        var second = FolderHashes.Of(TinyDecoderBuilder.WriteFolder(TestModels.Decoder(), temp.Sub("b")));
        var reseeded = FolderHashes.Of(TinyDecoderBuilder.WriteFolder(TestModels.Decoder(seed: 4), temp.Sub("c")));
        Assert.Equal(first, second);
        Assert.NotEqual(first["model.onnx"], reseeded["model.onnx"]);
        Assert.Equal(["config.json", "genai_config.json", "generation_config.json", "model.onnx"], first.Keys.Order());
    }

    [Fact]
    public void InvalidOptionsNameTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => TinyDecoderBuilder.BuildGraph(TestModels.Decoder(heads: 4, kvHeads: 3)));
        Assert.Equal("KvHeads", error.ParamName);
        Assert.Equal("PositionFeatures", Assert.Throws<ArgumentOutOfRangeException>(() => new TinyTransformerArchitecture { PositionFeatures = 7 }).ParamName);
        Assert.Equal("bigramLogits", Assert.Throws<ArgumentException>(() => new TinyDecoderOptions(new float[3, 4])).ParamName);
        Assert.Equal("SpecialTokens", Assert.Throws<ArgumentOutOfRangeException>(
            () => new TinyDecoderOptions(new float[4, 4]) { SpecialTokens = new SpecialTokenIds(9, [], null, null) }).ParamName);
        Assert.Equal("bigramLogits", Assert.Throws<ArgumentException>(
            () => new TinyDecoderOptions(new float[,] { { 0, float.NegativeInfinity }, { 0, 0 } })).ParamName);
    }

    private static void AssertRowsEqual(HostTensor full, int fullStart, HostTensor part, int count)
    {
        var v = (int)full.Shape[2];
        for (var i = 0; i < count; i++)
            for (var c = 0; c < v; c++)
            {
                var diff = Math.Abs(full[0, fullStart + i, c] - part[0, i, c]);
                Assert.True(diff <= 1e-4, $"position {fullStart + i}, token {c}: cached {part[0, i, c]} vs full {full[0, fullStart + i, c]}");
            }
    }
}
