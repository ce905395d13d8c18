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
}
