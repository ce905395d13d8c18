using AlignedGen.ModelBuilding;
using Xunit;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class DecoderModelBuilderTests
{
    private static readonly int[] Sequence = ScaleModels.Sequence;

    [Theory]
    [InlineData(DecoderFamily.Llama, GraphStyle.Optimum, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.Optimum, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.Optimum, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Llama, GraphStyle.GenAi, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.GenAi, WeightFormat.Float32, 1e-4)]
    [InlineData(DecoderFamily.Llama, GraphStyle.Optimum, WeightFormat.Int4, 1e-4)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Int4, 1e-4)]
    [InlineData(DecoderFamily.Llama, GraphStyle.Optimum, WeightFormat.Float16, 3e-2)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Float16, 3e-2)]
    public void LogitsEqualAnIndependentReferenceForwardPass(DecoderFamily family, GraphStyle style, WeightFormat format, double tolerance)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(family, style, format);
        using var run = ScaleModels.Open(DecoderModelBuilder.WriteFolder(o, temp.Path), o);
        var logits = run.Step(Row(ScaleModels.Longs(Sequence)), Ones(1, Sequence.Length)).Outputs["logits"];
        var reference = ReferenceForward.Run(ScaleModels.Weights(o), Sequence);
        double maxDiff = 0, spread = 0;
        for (var i = 0; i < Sequence.Length; i++)
            for (var v = 0; v < o.Shape.VocabularySize; v++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(logits[0, i, v] - reference[i][v]));
                spread = Math.Max(spread, Math.Abs(reference[i][v]));
            }
        Assert.True(maxDiff < tolerance, $"ONNX vs reference max |diff| = {maxDiff} (largest logit {spread})");
        Assert.True(spread > 1, "the random model's logits should be of unit scale, not vanishing");
    }

    [Fact]
    public void Int4AtAccuracyLevel4StaysCloseToTheDequantizedReference()
    {
        // Level 4 (what onnxruntime-genai writes for CPUs) quantizes activations to int8 per block: close, not exact.
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi, WeightFormat.Int4, accuracyLevel: 4);
        using var run = ScaleModels.Open(DecoderModelBuilder.WriteFolder(o, temp.Path), o);
        var logits = run.Step(Row(ScaleModels.Longs(Sequence)), Ones(1, Sequence.Length)).Outputs["logits"];
        var reference = ReferenceForward.Run(ScaleModels.Weights(o), Sequence);
        double maxDiff = 0;
        for (var i = 0; i < Sequence.Length; i++)
            for (var v = 0; v < o.Shape.VocabularySize; v++) maxDiff = Math.Max(maxDiff, Math.Abs(logits[0, i, v] - reference[i][v]));
        Assert.True(maxDiff is > 1e-6 and < 0.15, $"int8-activation logits differ from the reference by at most {maxDiff}");
    }

    [Theory]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.Optimum, WeightFormat.Float32)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.Optimum, WeightFormat.Float32)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Float32)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.GenAi, WeightFormat.Int4)]
    public void CachedStepsEqualFullRecompute(DecoderFamily family, GraphStyle style, WeightFormat format)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(family, style, format);
        using var run = ScaleModels.Open(DecoderModelBuilder.WriteFolder(o, temp.Path), o);
        var ids = ScaleModels.Longs(Sequence);
        var full = run.Step(Row(ids), Ones(1, ids.Length)).Outputs["logits"];

        // Prefill 3 tokens, then a 2-token chunk, then one token at a time (past the sliding window of 4).
        var (outputs, cache) = run.Step(Row(ids[..3]), Ones(1, 3));
        AssertRowsClose(full, 0, outputs["logits"], 3);
        (outputs, cache) = run.Step(Row(ids[3..5]), Ones(1, 5), cache);
        AssertRowsClose(full, 3, outputs["logits"], 2);
        for (var i = 5; i < ids.Length; i++)
        {
            (outputs, cache) = run.Step(Row(ids[i]), Ones(1, i + 1), cache);
            AssertRowsClose(full, i, outputs["logits"], 1);
        }
        Assert.Equal(ids.Length, cache["past_key_values.1.value"].Shape[2]);
    }

    [Theory]
    [InlineData(GraphStyle.Optimum, true)]
    [InlineData(GraphStyle.GenAi, false)]
    public void PaddedBatchRowsEqualTheRowsAlone(GraphStyle style, bool leftPadding)
    {
        // Optimum graphs take left-padded batches (positions from position_ids); GroupQueryAttention takes right-padded ones.
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Qwen2, style);
        using var run = ScaleModels.Open(DecoderModelBuilder.WriteFolder(o, temp.Path), o);
        long[] longRow = ScaleModels.Longs(Sequence), shortRow = [256, 87, 104, 121];
        int width = longRow.Length, pad = width - shortRow.Length, offset = leftPadding ? pad : 0;
        var ids = new long[2, width];
        var mask = Ones(2, width);
        for (var j = 0; j < width; j++)
        {
            ids[1, j] = longRow[j];
            var inShort = j >= offset && j < offset + shortRow.Length;
            ids[0, j] = inShort ? shortRow[j - offset] : ByteLevelVocabulary.PadId;
            mask[0, j] = inShort ? 1 : 0;
        }
        var batched = run.Step(ids, mask).Outputs["logits"];
        var aloneShort = run.Step(Row(shortRow), Ones(1, shortRow.Length)).Outputs["logits"];
        var aloneLong = run.Step(Row(longRow), Ones(1, width)).Outputs["logits"];
        for (var v = 0; v < o.Shape.VocabularySize; v++)
        {
            for (var i = 0; i < shortRow.Length; i++) Assert.Equal(aloneShort[0, i, v], batched[0, offset + i, v], 4);
            for (var i = 0; i < width; i++) Assert.Equal(aloneLong[0, i, v], batched[1, i, v], 4);
        }
    }

    [Fact]
    public void ExternalDataLoadsAndEqualsTheInlineModel()
    {
        using var temp = new TempFolder();
        var inline = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi, WeightFormat.Int4);
        var external = inline with { ExternalData = true };
        var inlineFolder = DecoderModelBuilder.WriteFolder(inline, temp.Sub("inline"));
        var externalFolder = DecoderModelBuilder.WriteFolder(external, temp.Sub("external"));
        Assert.False(File.Exists(Path.Combine(inlineFolder, "model.onnx.data")));
        var data = new FileInfo(Path.Combine(externalFolder, "model.onnx.data"));
        Assert.True(data.Exists && new FileInfo(Path.Combine(externalFolder, "model.onnx")).Length < data.Length / 4, "the weights should live in model.onnx.data");
        using var a = ScaleModels.Open(inlineFolder, inline);
        using var b = ScaleModels.Open(externalFolder, external);
        var ids = ScaleModels.Longs(Sequence);
        Assert.Equal(a.Step(Row(ids), Ones(1, ids.Length)).Outputs["logits"].Floats!, b.Step(Row(ids), Ones(1, ids.Length)).Outputs["logits"].Floats!);
    }

    [Fact]
    public void BuildingTwiceGivesIdenticalBytesAndSeedsChangeWeights()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Int4);
        var first = FolderHashes.Of(DecoderModelBuilder.WriteFolder(o, temp.Sub("a")));
        var second = FolderHashes.Of(DecoderModelBuilder.WriteFolder(o, temp.Sub("b")));
        var reseeded = FolderHashes.Of(DecoderModelBuilder.WriteFolder(new DecoderModelOptions(o.Shape with { Seed = 12 })
            { Style = o.Style, Weights = o.Weights }, temp.Sub("c")));
        Assert.Equal(first, second);
        Assert.NotEqual(first["model.onnx"], reseeded["model.onnx"]);
        Assert.Equal(["config.json", "genai_config.json", "generation_config.json", "model.onnx", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"],
            first.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Int4AndFloat16ShrinkTheWeights()
    {
        var shape = ModelPresets.Get("smollm2-135m-quarter").Shape;
        var fp32 = DecoderModelBuilder.WeightBytes(new DecoderModelOptions(shape));
        var fp16 = DecoderModelBuilder.WeightBytes(new DecoderModelOptions(shape) { Weights = WeightFormat.Float16 });
        var int4 = DecoderModelBuilder.WeightBytes(new DecoderModelOptions(shape) { Weights = WeightFormat.Int4 });
        Assert.InRange(fp16, fp32 / 2 - fp32 / 1000, fp32 / 2 + fp32 / 1000);   // int64 shape constants do not halve
        // Linear layers (the tied head included) take 5 bits a weight; the float32 embedding and rotary tables remain.
        long embedding = (long)shape.VocabularySize * shape.HiddenSize * 4, rotary = 2L * shape.MaxPositions * (shape.HeadSize / 2) * 4;
        long linear = fp32 - embedding - rotary;
        Assert.InRange(int4, embedding + rotary + linear * 5 / 32 - 100_000, embedding + rotary + linear * 5 / 32 + 100_000);
    }

    private static void AssertRowsClose(HostTensor full, int fullStart, HostTensor part, int count)
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
