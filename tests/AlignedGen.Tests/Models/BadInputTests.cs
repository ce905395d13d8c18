using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Models;

/// <summary>Issue 2's bad inputs: each raises an exception naming the input, the problem and the fix.</summary>
public class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alignedgen-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OnnxCausalLanguageModel Demo() => OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());

    [Fact]
    public void A_missing_folder_names_the_folder_and_the_fix()
    {
        var path = Path.Combine(_dir, "nowhere");
        var ex = Assert.Throws<ModelFolderException>(() => OnnxCausalLanguageModel.Load(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("Fix:", ex.Message);
    }

    [Fact]
    public void A_folder_without_model_onnx_lists_its_files()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{}");
        var ex = Assert.Throws<ModelFolderException>(() => OnnxCausalLanguageModel.Load(_dir, new IdTokenizer(10)));
        Assert.Contains("model.onnx", ex.Message);
        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void A_graph_without_a_kv_cache_is_rejected_naming_the_inputs()
    {
        // A sequence-classification reward model is a decoder graph without past_key_values inputs.
        var folder = TinyRewardModelBuilder.WriteSequenceClassificationFolder(
            new TinyRewardModelOptions(Enumerable.Range(0, 259).Select(i => (float)i).ToArray(), RewardRule.LastTokenValue), Path.Combine(_dir, "rm"));
        var ex = Assert.Throws<ModelFolderException>(() => OnnxCausalLanguageModel.Load(folder, new IdTokenizer(259)));
        Assert.Contains("no KV-cache inputs", ex.Message);
        Assert.Contains("input_ids", ex.Message);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_logits_is_rejected()
    {
        var folder = DefaultModels.EnsureDemoModel();
        var ex = Assert.Throws<ModelFolderException>(() => OnnxCausalLanguageModel.Load(folder, new IdTokenizer(50_000)));
        Assert.Contains("50000 tokens", ex.Message);
        Assert.Contains("259", ex.Message);
    }

    [Fact]
    public void Empty_and_overlong_prompts_are_rejected_naming_the_prompt_with_fail_fast()
    {
        using var model = Demo();
        var generator = new TextGenerator(model);
        var failFast = new GenerationOptions(4) { FailFast = true };
        var empty = Assert.Throws<ArgumentException>(() => generator.Generate(new[] { new GenerationRequest("ok"), new GenerationRequest("  ", "b") }, SamplingStrategy.Greedy, failFast));
        Assert.Contains("prompt 1 (id 'b') is empty", empty.Message);
        var longPrompt = new string('a', model.Config.ContextLength + 5);
        var tooLong = Assert.Throws<ArgumentException>(() => generator.Generate(new[] { new GenerationRequest(longPrompt) }, SamplingStrategy.Greedy, failFast));
        Assert.Contains("context window", tooLong.Message);
        Assert.Contains("Shorten", tooLong.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Max_new_tokens_must_be_positive(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions(maxNewTokens: value));
        Assert.Equal("maxNewTokens", ex.ParamName);
        Assert.Contains(value.ToString(), ex.Message);
    }

    [Fact]
    public void Negative_temperature_and_top_p_outside_the_unit_interval_are_rejected()
    {
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(temperature: -0.1)).ParamName);
        Assert.Equal("topP", Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(topP: 0)).ParamName);
        Assert.Equal("topP", Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(topP: 1.5)).ParamName);
        Assert.Equal("topK", Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions(topK: -1)).ParamName);
    }

    [Fact]
    public void Cuda_that_cannot_load_fails_clearly_or_falls_back_with_a_report()
    {
        var folder = DefaultModels.EnsureDemoModel();
        try
        {
            using var cuda = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(ExecutionDevice.Cuda));
            // A machine with the GPU flavour and CUDA 13 gets here.
            Assert.StartsWith("CUDA", cuda.ExecutionReport);
        }
        catch (CudaUnavailableException ex)
        {
            Assert.Contains("CUDA device 0 is unavailable", ex.Message);
            Assert.Contains("AlignedGenFlavour=Gpu", ex.Message);
        }
        using var fallback = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(ExecutionDevice.Cuda, allowCpuFallback: true));
        Assert.True(fallback.ExecutionReport.StartsWith("CUDA") || fallback.ExecutionReport.StartsWith("CPU (fallback"), fallback.ExecutionReport);
    }

    [Fact]
    public void Stop_strings_end_a_response_and_are_cut_from_its_text()
    {
        using var model = Demo();
        var generator = new TextGenerator(model);
        var free = generator.Generate(new[] { new GenerationRequest("The cat") }, SamplingStrategy.Greedy, new GenerationOptions(24))[0];
        // Stop on the text the model writes at its 4th..6th generated characters: it must stop there and cut it.
        var stop = free.Text.Substring(3, 3);
        var stopped = generator.Generate(new[] { new GenerationRequest("The cat") }, SamplingStrategy.Greedy, new GenerationOptions(24, stopStrings: new[] { stop }))[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.True(stopped.TokenIds.Count < free.TokenIds.Count);
    }

    [Fact]
    public void Chat_templates_wrap_the_prompt_by_name_and_auto_needs_a_declared_template()
    {
        using var model = Demo();
        var generator = new TextGenerator(model);
        var plain = generator.EncodePrompt("Hi");
        var chatml = generator.EncodePrompt("Hi", new GenerationOptions(chatTemplate: "chatml"));
        Assert.Equal(model.Tokenizer.Encode(ChatTemplate.ChatML.Format(new[] { ChatMessage.User("Hi") })), chatml);
        Assert.True(chatml.Count > plain.Count);
        var ex = Assert.Throws<ArgumentException>(() => generator.EncodePrompt("Hi", new GenerationOptions(chatTemplate: "auto")));
        Assert.Contains("declares no recognised chat_template", ex.Message);
    }
}
