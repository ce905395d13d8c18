using AlignedGen.Decoding;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>GenerateText / ApplyRewardGuidedDecoding against the core library called directly (the oracle), batch boundaries, laziness, cancellation.</summary>
public class GenerationTransformTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData(7, 1)] // batch size 1
    [InlineData(6, 3)] // exact multiple
    [InlineData(7, 3)] // remainder
    [InlineData(3, 16)] // one partial batch
    public void GreedyMatchesTheCoreLibraryAtEveryBatchBoundary(int rows, int batchSize)
    {
        var prompts = PromptRow.Make(rows);
        var generation = new GenerationOptions(maxNewTokens: 6, batchSize: batchSize);
        var progress = new CountingProgress();
        var options = new GenerateTextOptions(TestModels.LanguageModel) { Generation = generation, Progress = progress, TokenCountColumnName = "Tokens", FinishReasonColumnName = "Finish" };
        var data = _ml.Data.LoadFromEnumerable(prompts);
        using var transformer = _ml.Transforms.Text.GenerateText("Response", nameof(PromptRow.Prompt), options).Fit(data);
        var output = transformer.Transform(data);

        var expected = Direct.Generate(prompts, SamplingStrategy.Greedy, generation);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(output, "Response"));
        Assert.Equal(expected.Select(r => r.TokenIds.Count), output.GetColumn<int>("Tokens"));
        Assert.Equal(expected.Select(r => r.FinishReason.ToString()), Direct.Texts(output, "Finish"));
        // Ids pass through in order: row order is preserved.
        Assert.Equal(prompts.Select(p => p.Id), Direct.Texts(output, nameof(PromptRow.Id)));
        // Three cursors read an output column (Response, Tokens, Finish), each decoding ceil(rows / batch) batches.
        Assert.Equal(3 * ((rows + batchSize - 1) / batchSize), progress.Reports);
    }

    [Fact]
    public void SeededSamplingMatchesTheCoreLibraryAndDoesNotDependOnBatchSize()
    {
        var prompts = PromptRow.Make(5);
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var sampling = new SamplingOptions(temperature: 1.0, topK: 20);
        string[] Run(int batch) => Direct.Texts(_ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel)
        {
            Sampling = sampling, Generation = new GenerationOptions(maxNewTokens: 8, batchSize: batch, seed: 42),
        }).Fit(data).Transform(data), "Response");

        var expected = Direct.Generate(prompts, new SamplingStrategy(sampling), new GenerationOptions(maxNewTokens: 8, batchSize: 5, seed: 42)).Select(r => r.Text).ToArray();
        Assert.Equal(expected, Run(2));
        Assert.Equal(expected, Run(5));
        Assert.NotEqual(Direct.Texts(_ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel) { Generation = new(maxNewTokens: 8) })
            .Fit(data).Transform(data), "Response"), expected); // greedy differs from sampling, so the sampling settings reached the decoder
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ArgsMatchesTheCoreLibrary(int batchSize)
    {
        var prompts = PromptRow.Make(4);
        var args = new ArgsOptions(topK: 5, weight: 1.5);
        var generation = new GenerationOptions(maxNewTokens: 6, batchSize: batchSize);
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), args) { Generation = generation, CostColumnName = "Cost" };
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var output = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data).Transform(data);

        var expected = Direct.Generate(prompts, new ArgsStrategy(args), generation, TestModels.RewardModel);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(output, "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(output, "Reward"));
        var greedy = Direct.Generate(prompts, SamplingStrategy.Greedy, generation);
        Assert.NotEqual(greedy.Select(r => r.Text), Direct.Texts(output, "Response")); // the reward changed what was decoded

        var costs = output.GetColumn<VBuffer<float>>("Cost").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.All(costs, c => Assert.Equal(5, c.Length));
        Assert.Equal(expected.Select(r => (float)r.Cost.RewardCalls), costs.Select(c => c[2]));
        Assert.Equal(expected.Select(r => (float)r.Cost.LmTokens), costs.Select(c => c[1]));
        VBuffer<ReadOnlyMemory<char>> slots = default;
        output.Schema["Cost"].Annotations.GetValue("SlotNames", ref slots);
        Assert.Equal(new[] { "LmCalls", "LmTokens", "RewardCalls", "RewardTokens", "ElapsedMilliseconds" }, slots.DenseValues().Select(s => s.ToString()));
    }

    [Fact]
    public void BestOfNMatchesTheCoreLibrary()
    {
        var prompts = PromptRow.Make(3);
        var bestOfN = new BestOfNOptions(n: 3, sampling: new SamplingOptions(temperature: 0.8));
        var generation = new GenerationOptions(maxNewTokens: 6, batchSize: 2, seed: 7);
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), bestOfN) { Generation = generation };
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var output = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data).Transform(data);

        var expected = Direct.Generate(prompts, new BestOfNStrategy(bestOfN), generation, TestModels.RewardModel);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(output, "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(output, "Reward"));
    }

    [Fact]
    public void GenerateTextWithARewardScoresEveryResponse()
    {
        var prompts = PromptRow.Make(3);
        var generation = new GenerationOptions(maxNewTokens: 5, batchSize: 2);
        var options = new GenerateTextOptions(TestModels.LanguageModel) { Generation = generation, Reward = RewardReference.FromFolder(TestModels.RewardModel), RewardColumnName = "Score" };
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var output = _ml.Transforms.Text.GenerateText("Response", "Prompt", options).Fit(data).Transform(data);

        var texts = Direct.Texts(output, "Response");
        using var rm = RewardModelLoader.FromFolder(TestModels.RewardModel);
        var expected = rm.Score(prompts.Select((p, i) => new RewardQuery(p.Prompt, texts[i])).ToArray());
        var actual = Direct.Floats(output, "Score");
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void ReadingOnlyOtherColumnsRunsNoModel()
    {
        var calls = 0;
        var reward = DelegateRewardSource.PerQuery("counting", q => { Interlocked.Increment(ref calls); return q.Response.Length; });
        var progress = new CountingProgress();
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromSource(reward), new ArgsOptions(topK: 3))
        {
            Generation = new GenerationOptions(maxNewTokens: 3, batchSize: 2), Progress = progress,
        };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(5));
        var output = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data).Transform(data);
        Assert.Equal(0, calls); // Transform is lazy

        Assert.Equal(PromptRow.Make(5).Select(p => p.Id), Direct.Texts(output, "Id"));
        using (var cursor = output.GetRowCursor(output.Schema.Where(c => c.Name is "Id" or "Prompt")))
            while (cursor.MoveNext()) { }
        Assert.Equal(0, calls);
        Assert.Equal(0, progress.Reports);

        Assert.Equal(5, Direct.Texts(output, "Response").Length);
        Assert.True(calls > 0);
        Assert.Equal(3, progress.Reports); // batches of 2, 2, 1
    }

    [Fact]
    public void CancellationStopsTheCursor()
    {
        using var cts = new CancellationTokenSource();
        var options = new GenerateTextOptions(TestModels.LanguageModel) { Generation = new GenerationOptions(maxNewTokens: 4, batchSize: 1), Cancellation = cts.Token };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(4));
        var output = _ml.Transforms.Text.GenerateText("Response", "Prompt", options).Fit(data).Transform(data);
        using var cursor = output.GetRowCursor(output.Schema);
        Assert.True(cursor.MoveNext());
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => cursor.MoveNext());
    }

    [Fact]
    public void ReferenceColumnReachesTheReward()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var reward = DelegateRewardSource.PerQuery("references", q => { seen.Add(q.Reference); return 0; });
        var options = new GenerateTextOptions(TestModels.LanguageModel)
        {
            Generation = new GenerationOptions(maxNewTokens: 2, batchSize: 3), Reward = RewardReference.FromSource(reward), ReferenceColumnName = "Reference",
        };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(4));
        _ = Direct.Floats(_ml.Transforms.Text.GenerateText("Response", "Prompt", options).Fit(data).Transform(data), "Reward");
        Assert.Equal(2, seen.Count(r => r == "a story about a cat"));
        Assert.Equal(2, seen.Count(r => r is null)); // empty cells are no reference
    }
}
