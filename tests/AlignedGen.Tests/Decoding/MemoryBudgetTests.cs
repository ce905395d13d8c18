using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>The memory budget: batches that do not fit run as sub-batches with the same results; a prompt that cannot fit alone is refused with its numbers.</summary>
public sealed class MemoryBudgetTests
{
    private static readonly string[] Prompts =
    [
        "Once upon a time", "A", "The cat sat on the mat and looked", "Hello", "In a far away land there lived", "Why",
    ];

    [Fact]
    public void CacheBytesCountEveryLayersKeysAndValuesInBothBuffers()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(o, temp.Path));
        // current + next buffer, float32: twice what the shape says one position of one row takes
        Assert.Equal(2 * o.Shape.KeyValueBytesPerPosition(4) * 3 * 40, model.CacheBytes(3, 40));
        Assert.Equal(model.CacheBytes(4, 40), ((IDecodingStrategy)SamplingStrategy.Greedy).CacheBytes(model, null, 4, 40));
        Assert.Equal(model.CacheBytes(16, 40), new BestOfNStrategy(new BestOfNOptions(4)).CacheBytes(model, null, 4, 40));
    }

    [Theory]
    [InlineData(0.0)]      // greedy
    [InlineData(0.8)]      // seeded sampling: every prompt keeps its own random stream
    public void ASplitBatchReturnsWhatTheWholeBatchReturns(double temperature)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Qwen2, GraphStyle.GenAi);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(o, temp.Path));
        var generator = new TextGenerator(model);
        var strategy = new SamplingStrategy(new SamplingOptions(temperature));
        var options = new GenerationOptions(maxNewTokens: 8, batchSize: Prompts.Length, seed: 3);
        var whole = generator.Generate(GenerationRequest.FromPrompts(Prompts), strategy, options);
        long twoRows = model.CacheBytes(2, Prompts.Max(p => generator.EncodePrompt(p).Count) + 8);
        var split = generator.Generate(GenerationRequest.FromPrompts(Prompts), strategy, options with { MemoryBudgetBytes = twoRows });

        Assert.Equal(whole.Select(r => r.TokenIds), split.Select(r => r.TokenIds));
        Assert.Equal(whole.Select(r => r.Text), split.Select(r => r.Text));
        Assert.All(whole, r => Assert.Null(r.Cost.Note));
        Assert.All(split, r => Assert.Contains("sub-batches", r.Cost.Note));
        // A row's LM calls and positions are its own (issue 13): the same whether its batch was split or not.
        Assert.Equal(whole.Select(r => (r.Cost.LmCalls, r.Cost.LmTokens)), split.Select(r => (r.Cost.LmCalls, r.Cost.LmTokens)));
    }

    [Fact]
    public void ArgsCountsTheRewardModelsKFoldCandidateCache()
    {
        using var temp = new TempFolder();
        var lmOptions = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi);
        var rmOptions = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi, head: ModelHead.CachedScores);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(lmOptions, temp.Sub("lm")));
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(DecoderModelBuilder.WriteFolder(rmOptions, temp.Sub("rm")));
        var args = new ArgsStrategy(new ArgsOptions(topK: 5));
        Assert.Equal(model.CacheBytes(2, 30) + rm.CacheBytes(10, 30), args.CacheBytes(model, rm, 2, 30));

        var generator = new TextGenerator(model, rm);
        var options = new GenerationOptions(maxNewTokens: 6, batchSize: 4);
        var requests = GenerationRequest.FromPrompts(Prompts[..4]);
        var whole = generator.Generate(requests, args, options);
        int longest = Prompts[..4].Max(p => generator.EncodePrompt(p).Count) + 6;
        // Room for all four prompts' LM caches, but not for their reward model's 4 × 5 candidate rows: ARGS must split.
        long budget = model.CacheBytes(4, longest) + rm.CacheBytes(10, longest);
        var split = generator.Generate(requests, args, options with { MemoryBudgetBytes = budget });
        Assert.Equal(whole.Select(r => r.TokenIds), split.Select(r => r.TokenIds));
        Assert.Equal(whole.Select(r => r.Reward), split.Select(r => r.Reward));
        Assert.All(split, r => Assert.Contains("sub-batches of at most 2", r.Cost.Note));
    }

    [Fact]
    public void APromptThatCannotFitAloneIsRefusedWithItsNumbers()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.Optimum);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(o, temp.Path));
        var generator = new TextGenerator(model);
        var requests = new[] { new GenerationRequest("short"), new GenerationRequest(Prompts[2], Id: "long-one") };
        int tokens = generator.EncodePrompt(Prompts[2]).Count + 8;
        long budget = model.CacheBytes(1, tokens) - 1;
        var e = Assert.Throws<MemoryBudgetExceededException>(() => generator.Generate(requests, SamplingStrategy.Greedy,
            new GenerationOptions(maxNewTokens: 8, batchSize: 2) { MemoryBudgetBytes = budget, FailFast = true }));
        Assert.Equal((1, tokens, model.CacheBytes(1, tokens), budget), (e.PromptIndex, e.Tokens, e.BytesNeeded, e.BudgetBytes));
        Assert.Equal(model.Name, e.Model);
        Assert.Contains("prompt 1 (id 'long-one')", e.Message);
        Assert.Contains($"for {tokens} tokens", e.Message);
        Assert.Contains($"model '{model.Name}'", e.Message);
        Assert.Contains("memory budget", e.Message);
        Assert.Contains("MemoryBudgetBytes", e.Message);
    }

    [Fact]
    public void WithoutFailFastThePromptThatCannotFitIsAnErrorRowAndTheOthersAreDecodedAsAlone()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.Optimum);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(o, temp.Path));
        var generator = new TextGenerator(model);
        var requests = new[] { new GenerationRequest("short", Id: "a"), new GenerationRequest(Prompts[2], Id: "long-one"), new GenerationRequest("Hello", Id: "c") };
        int tokens = generator.EncodePrompt(Prompts[2]).Count + 8;
        long budget = model.CacheBytes(1, tokens) - 1;
        var results = generator.Generate(requests, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 8, batchSize: 3) { MemoryBudgetBytes = budget }).ToArray();

        Assert.Equal(["a", "long-one", "c"], results.Select(r => r.Id));
        Assert.Null(results[0].Error);
        Assert.Null(results[2].Error);
        Assert.Contains("prompt 1 (id 'long-one')", results[1].Error);
        Assert.Contains("more than the memory budget", results[1].Error);
        // The rows that fit are what each gives decoded on its own (oracle: unbudgeted single-prompt runs).
        foreach (int i in new[] { 0, 2 })
        {
            var alone = generator.Generate([requests[i]], SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 8, batchSize: 1)).Single();
            Assert.Equal(alone.TokenIds, results[i].TokenIds);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void ABudgetOfZeroOrLessNamesTheValue(long bytes)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { MemoryBudgetBytes = bytes });
        Assert.Equal("MemoryBudgetBytes", e.ParamName);
        Assert.Contains($"got {bytes}", e.Message);
    }

    [Fact]
    public void ThePlanPacksPromptsInOrderPaddedToTheLongest()
    {
        // Cache bytes = prompts × tokens: a sub-batch fits while count × its longest row stays within 100.
        int[] prompt = [10, 10, 40, 5, 5, 5, 90];
        int[] fresh = [10, 10, 10, 10, 10, 10, 10];
        var plan = BatchMemoryPlan.Split(prompt, fresh, 100, (count, tokens) => (long)count * tokens, (i, t, b) => new InvalidOperationException());
        Assert.Equal([(0, 2), (2, 2), (4, 2), (6, 1)], plan);   // rows of 20 20 | 50 15 (padded to 50) | 15 15 | 100
        Assert.Single(BatchMemoryPlan.Split(prompt, fresh, 100, (_, _) => 0, (i, t, b) => new InvalidOperationException()));   // size unknown: one batch
        Assert.Throws<InvalidOperationException>(() => BatchMemoryPlan.Split([101], [0], 100, (count, tokens) => (long)count * tokens, (i, t, b) => new InvalidOperationException()));
    }

    [Fact]
    public void TheDefaultBudgetIsHalfOfWhatIsAvailable()
    {
        long available = MemoryBudget.AvailableBytes();
        Assert.True(available > 0);
        Assert.InRange(MemoryBudget.DefaultBytes(), AlignedGenDefaults.MinimumMemoryBudgetBytes, Math.Max(AlignedGenDefaults.MinimumMemoryBudgetBytes, available));
        Assert.Equal("1.50 GiB", MemoryBudget.Format(3L << 29));
        Assert.Equal("512 MiB", MemoryBudget.Format(512L << 20));
    }
}
