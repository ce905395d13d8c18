using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.ModelBuilding;
using Xunit;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;

namespace AlignedGen.Tests.Models;

/// <summary>A float16 model's logits are read where ONNX Runtime wrote them: the view is float16, equal to a plain session run, and the samplers give what they give on the widened floats.</summary>
public sealed class HalfOutputTests
{
    [Theory]
    [InlineData(GraphStyle.Optimum)]
    [InlineData(GraphStyle.GenAi)]
    public void StepOutputsStayFloat16AndEqualAPlainSessionRun(GraphStyle style)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, style, WeightFormat.Float16);
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        using var model = OnnxCausalLanguageModel.Load(folder);
        using var state = model.CreateState();
        int[] prompt = ScaleModels.Sequence[..6];
        state.Extend([prompt]);
        state.Step([ScaleModels.Sequence[6]]);

        using var plain = ScaleModels.Open(folder, o);
        var ids = ScaleModels.Longs(ScaleModels.Sequence[..7]);
        var expected = plain.Step(Row(ids), Ones(1, ids.Length)).Outputs["logits"];
        var view = state.OutputView(0);
        Assert.True(view.IsHalf);
        Assert.Equal(o.Shape.VocabularySize, view.Length);
        var widened = state.Output(0);
        for (int v = 0; v < view.Length; v++)
        {
            Assert.Equal((float)view.Halves[v], widened[v]);
            Assert.True(Math.Abs(expected[0, 6, v] - widened[v]) < 2e-2, $"token {v}: cached {widened[v]} vs full run {expected[0, 6, v]}");
        }
    }

    [Fact]
    public void SamplersReadFloat16RowsAsTheyReadTheirWidenedFloats()
    {
        var random = new Random(9);
        foreach (int size in new[] { 40, 30_000 })
        {
            var halves = Enumerable.Range(0, size).Select(_ => (Half)(random.NextDouble() * 10 - 5)).ToArray();
            var floats = halves.Select(h => (float)h).ToArray();   // float16 values repeat: plenty of ties
            Assert.Equal(TokenSampler.ArgMax(floats), TokenSampler.ArgMax(new OutputRow(halves)));
            var a = new int[25];
            var b = new int[25];
            TokenSampler.TopK(floats, a);
            TokenSampler.TopK(new OutputRow(halves), b);
            Assert.Equal(a, b);
            var options = new SamplingOptions(temperature: 0.8, topK: size > 1000 ? 0 : 10, topP: 0.9);
            var r1 = new Random(3);
            var r2 = new Random(3);
            for (int i = 0; i < 50; i++)
                Assert.Equal(TokenSampler.Sample(floats, options, r1), TokenSampler.Sample(new OutputRow(halves), options, r2));
        }
    }
}
