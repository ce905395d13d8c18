using AlignedGen.Decoding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Models;

public class OnnxDecoderTests
{
    private static readonly int[] OnceUponATime = { 1, 403, 407, 261, 378 };

    private static OnnxCausalLanguageModel LoadShared(string name, int vocab)
        => OnnxCausalLanguageModel.Load(SharedFolder.Require("models", name), new IdTokenizer(vocab, 1, 2));

    [SkippableFact]
    public void Stories260K_greedy_continuation_matches_the_reference_ids()
    {
        using var model = LoadShared("stories260K", 512);
        Assert.Equal(5, model.LayerCount);
        Assert.Equal(4, model.KeyValueHeads);
        Assert.Equal(8, model.HeadSize);
        Assert.Equal(new[] { 2, 1 }, model.Config.EosTokenIds);
        var generator = new TextGenerator(model);
        var result = generator.Generate(new[] { new GenerationRequest("403 407 261 378") }, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 18))[0];
        Assert.Equal(new[] { 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410, 408 }, result.TokenIds);
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(5, result.PromptTokenCount);
    }

    [SkippableTheory]
    [InlineData("stories260K", 512)]
    [InlineData("tiny-random-llama-fp32", 32000)]
    [InlineData("tiny-random-llama-fp16", 32000)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000)]
    public void Cached_logits_equal_a_full_recompute(string name, int vocab)
    {
        using var model = LoadShared(name, vocab);
        var tokens = new List<int>(OnceUponATime);
        using var cached = model.CreateState();
        cached.Extend(new[] { tokens.ToArray() });
        float tolerance = model.CacheElementType == "Float16" ? 2e-2f : 1e-4f;
        for (int step = 0; step < 12; step++)
        {
            int next = TokenSampler.ArgMax(cached.Output(0));
            tokens.Add(next);
            cached.Step(new[] { next });
            using var full = model.CreateState();
            full.Extend(new[] { tokens.ToArray() });
            AssertClose(full.Output(0), cached.Output(0), tolerance, $"{name} step {step}");
        }
    }

    [SkippableTheory]
    [InlineData("stories260K", 512)]
    [InlineData("tiny-random-llama-fp32", 32000)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000)]
    public void A_left_padded_batch_gives_each_prompt_the_tokens_it_gets_alone(string name, int vocab)
    {
        using var model = LoadShared(name, vocab);
        var generator = new TextGenerator(model);
        var prompts = new[] { "403 407 261 378", "378", "403 407 261 378 432 383 286 261 376 298", "261 376" };
        var requests = GenerationRequest.FromPrompts(prompts);
        var options = new GenerationOptions(maxNewTokens: 16, batchSize: 4, stopAtEos: false);
        var batched = generator.Generate(requests, SamplingStrategy.Greedy, options);
        for (int i = 0; i < prompts.Length; i++)
        {
            var alone = generator.Generate(new[] { requests[i] }, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 16, batchSize: 1, stopAtEos: false))[0];
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
        }
    }

    [SkippableFact]
    public void Forked_rows_continue_exactly_like_their_source()
    {
        using var model = LoadShared("stories260K", 512);
        using var state = model.CreateState();
        state.Extend(new[] { new[] { 1, 403 }, OnceUponATime });
        state.SelectRows(new[] { 1, 1, 0 });
        Assert.Equal(3, state.RowCount);
        state.Step(new[] { 432, 432, 407 });
        using var reference = model.CreateState();
        reference.Extend(new[] { OnceUponATime.Append(432).ToArray() });
        AssertClose(reference.Output(0), state.Output(0), 1e-4f, "fork 0");
        AssertClose(reference.Output(0), state.Output(1), 1e-4f, "fork 1");
        using var shortRow = model.CreateState();
        shortRow.Extend(new[] { new[] { 1, 403, 407 } });
        AssertClose(shortRow.Output(0), state.Output(2), 1e-4f, "short row after trimming padding");
    }

    [SkippableFact]
    public void Same_seed_gives_same_samples_and_batch_size_does_not_change_them()
    {
        using var model = LoadShared("stories260K", 512);
        var generator = new TextGenerator(model);
        var requests = GenerationRequest.FromPrompts(new[] { "403 407 261 378", "403 407", "261 376", "378" });
        var strategy = new SamplingStrategy(new SamplingOptions(temperature: 0.9, topK: 40, topP: 0.95));
        var a = generator.Generate(requests, strategy, new GenerationOptions(maxNewTokens: 24, batchSize: 4, seed: 7));
        var b = generator.Generate(requests, strategy, new GenerationOptions(maxNewTokens: 24, batchSize: 1, seed: 7));
        var c = generator.Generate(requests, strategy, new GenerationOptions(maxNewTokens: 24, batchSize: 4, seed: 8));
        for (int i = 0; i < requests.Count; i++) Assert.Equal(a[i].TokenIds, b[i].TokenIds);
        Assert.NotEqual(a.SelectMany(r => r.TokenIds), c.SelectMany(r => r.TokenIds));
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"{what}: max abs diff {worst} > {tolerance}");
    }
}
