#if !ALIGNEDGEN_GPU // onnxruntime-genai is referenced in the CPU flavour only
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;
using Genai = Microsoft.ML.OnnxRuntimeGenAI;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>onnxruntime-genai (the reference runtime for its own exports) loads the built folders and decodes the same greedy tokens as AlignedGen.</summary>
public sealed class GenAiLoadsBuiltFoldersTests
{
    private const int NewTokens = 10;

    /// <summary>Twelve bytes each: equal token counts under the byte-level tokenizer, so a batch needs no padding.</summary>
    private static readonly string[] EvenPrompts = ["Hello, world", "The cat sat.", "Once upon a "];

    private static readonly string[] UnevenPrompts = ["Hello", "The cat sat on the mat", "A longer prompt than the others"];

    [Theory]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Int4)]
    [InlineData(DecoderFamily.Llama, GraphStyle.GenAi, WeightFormat.Float32)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.Optimum, WeightFormat.Float32)]
    public void GenAiDecodesTheSameGreedyTokens(DecoderFamily family, GraphStyle style, WeightFormat format)
    {
        using var temp = new TempFolder();
        var folder = DecoderModelBuilder.WriteFolder(ScaleModels.Options(family, style, format, accuracyLevel: 4), temp.Path);
        using var ours = OnnxCausalLanguageModel.Load(folder);
        using var model = new Genai.Model(folder);
        var generator = new TextGenerator(ours);

        foreach (var prompts in new[] { EvenPrompts, UnevenPrompts })
        {
            var expected = Ours(generator, prompts);
            var ids = prompts.Select(p => generator.EncodePrompt(p).ToArray()).ToArray();
            for (int i = 0; i < ids.Length; i++) Assert.Equal(expected[i], GenerateAlone(model, ids[i]));
            // onnxruntime-genai left-pads a batch, and a GroupQueryAttention graph reads every row's cache as right-padded
            // (valid entries first), so genai's padded rows of such a model differ; AlignedGen right-pads for it. Padded
            // batches are compared in the Optimum style only.
            if (prompts == EvenPrompts || style == GraphStyle.Optimum)
                Assert.Equal(expected, GenerateBatch(model, ids, ours.Config.PadTokenId));
        }
    }

    private static int[][] Ours(TextGenerator generator, string[] prompts) =>
        generator.Generate(GenerationRequest.FromPrompts(prompts), SamplingStrategy.Greedy,
            new GenerationOptions(maxNewTokens: NewTokens, batchSize: prompts.Length, stopAtEos: false)).Select(r => r.TokenIds.ToArray()).ToArray();

    private static int[] GenerateAlone(Genai.Model model, int[] prompt) => GenerateBatch(model, [prompt], pad: 0)[0];

    /// <summary>One left-padded batch (genai masks the pad id in the prompt).</summary>
    private static int[][] GenerateBatch(Genai.Model model, int[][] prompts, int pad)
    {
        int width = prompts.Max(p => p.Length);
        var ids = prompts.SelectMany(p => Enumerable.Repeat(pad, width - p.Length).Concat(p)).ToArray();
        using var parameters = new Genai.GeneratorParams(model);
        parameters.SetSearchOption("max_length", width + NewTokens);
        parameters.SetSearchOption("batch_size", prompts.Length);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Genai.Generator(model, parameters);
        generator.AppendTokens(ids);
        while (!generator.IsDone()) generator.GenerateNextToken();
        return Enumerable.Range(0, prompts.Length).Select(i => generator.GetSequence((ulong)i).ToArray()[width..]).ToArray();
    }
}
#endif
