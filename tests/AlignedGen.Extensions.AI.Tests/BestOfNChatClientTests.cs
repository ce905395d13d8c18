using AlignedGen.ModelBuilding;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;
using Xunit;

namespace AlignedGen.Extensions.AI.Tests;

/// <summary>Best-of-N over a fake provider whose candidates are known, ranked by rewards whose values are known.</summary>
public sealed class BestOfNChatClientTests
{
    // The provider answers candidate i (from its seed) with Answers[i]; the reward is the number of "good" words.
    private static readonly string[] Answers = ["fine.", "good good good.", "good.", "bad.", "good good."];

    private static readonly IRewardSource GoodWords = DelegateRewardSource.PerQuery("good-words",
        q => q.Response.Split(' ', '.').Count(w => w == "good"));

    private static ScriptedChatClient Provider() => new((options, _) => Answers[(int)(options!.Seed!.Value - 100)]);

    private static readonly List<ChatMessage> Conversation =
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "How was it?"),
    ];

    [Fact]
    public async Task Returns_the_candidate_the_reward_prefers_with_every_candidates_reward()
    {
        using var client = new BestOfNChatClient(Provider(), GoodWords, new BestOfNChatOptions(candidateCount: 5));

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

        Assert.Equal("good good good.", response.Text);
        Assert.Equal(3f, response.GetReward());
        Assert.Equal(new float[] { 0, 3, 1, 0, 2 }, (float[])response.AdditionalProperties![ChatResponseRewardExtensions.RewardsKey]!);
        var selection = response.GetCandidateSelection()!;
        Assert.Equal(1, selection.SelectedIndex);
        Assert.Equal("good-words", selection.RewardName);
        Assert.Equal(Answers, selection.Candidates.Select(c => c.Text));
        Assert.Equal(0, response.AdditionalProperties[ChatResponseRewardExtensions.FailedCandidatesKey]);
    }

    [Fact]
    public async Task Candidates_are_requested_concurrently_within_the_bound()
    {
        var provider = new ScriptedChatClient((_, call) => $"answer {call}") { Delay = TimeSpan.FromMilliseconds(150) };
        using var client = new BestOfNChatClient(provider, GoodWords, new BestOfNChatOptions(candidateCount: 6, maxConcurrency: 2));

        await client.GetResponseAsync(Conversation);

        Assert.Equal(6, provider.Calls);
        Assert.Equal(2, provider.MaxInFlight);
    }

    [Fact]
    public async Task Usage_is_summed_over_every_candidate()
    {
        using var client = new BestOfNChatClient(Provider(), GoodWords, new BestOfNChatOptions(candidateCount: 5));

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

        Assert.Equal(50, response.Usage!.InputTokenCount);
        Assert.Equal(Answers.Sum(a => a.Length), response.Usage.OutputTokenCount);
        Assert.Equal(50 + Answers.Sum(a => a.Length), response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Each_candidate_gets_its_own_seed_and_a_temperature_when_none_was_set()
    {
        var provider = Provider();
        using var client = new BestOfNChatClient(provider, GoodWords, new BestOfNChatOptions(candidateCount: 4));
        var options = new ChatOptions { Seed = 100, MaxOutputTokens = 12 };

        await client.GetResponseAsync(Conversation, options);

        Assert.Equal([100L, 101, 102, 103], provider.SeenOptions.Select(o => o!.Seed!.Value).Order());
        Assert.All(provider.SeenOptions, o => Assert.Equal((float)AlignedGenDefaults.Temperature, o!.Temperature));
        Assert.All(provider.SeenOptions, o => Assert.Equal(12, o!.MaxOutputTokens));
        Assert.Equal(100, options.Seed); // the caller's options are not changed
        Assert.Null(options.Temperature);

        var withTemperature = Provider();
        using var explicitClient = new BestOfNChatClient(withTemperature, GoodWords, new BestOfNChatOptions(candidateCount: 2));
        await explicitClient.GetResponseAsync(Conversation, new ChatOptions { Seed = 100, Temperature = 1.2f });
        Assert.All(withTemperature.SeenOptions, o => Assert.Equal(1.2f, o!.Temperature));
    }

    [Fact]
    public async Task The_reward_scores_against_the_last_user_message()
    {
        var prompts = new List<string>();
        var reward = DelegateRewardSource.PerQuery("spy", q =>
        {
            lock (prompts) prompts.Add(q.Prompt);
            return 0;
        });
        using var client = new BestOfNChatClient(Provider(), reward, new BestOfNChatOptions(candidateCount: 2));

        await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

        Assert.Equal(["How was it?", "How was it?"], prompts);
    }

    [Fact]
    public async Task A_failing_candidate_is_left_out_and_counted()
    {
        var provider = new ScriptedChatClient((options, _) => Answers[(int)(options!.Seed!.Value - 100)]) { FailingCalls = new HashSet<int> { 0, 1, 2 } };
        using var client = new BestOfNChatClient(provider, GoodWords, new BestOfNChatOptions(candidateCount: 5, maxConcurrency: 1));

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

        Assert.Equal("good good.", response.Text); // candidates 0-2 failed; of "bad." and "good good." the second wins
        Assert.Equal(3, response.AdditionalProperties![ChatResponseRewardExtensions.FailedCandidatesKey]);
        var selection = response.GetCandidateSelection()!;
        Assert.Equal(3, selection.Candidates.Count(c => c.Error is InvalidOperationException));
        Assert.Equal(new float[] { 0, 2 }, (float[])response.AdditionalProperties[ChatResponseRewardExtensions.RewardsKey]!);
    }

    [Fact]
    public async Task When_every_candidate_fails_the_providers_error_comes_through()
    {
        var single = new ScriptedChatClient((_, _) => "x") { FailingCalls = new HashSet<int> { 0 } };
        using (var client = new BestOfNChatClient(single, GoodWords, new BestOfNChatOptions(candidateCount: 1)))
            Assert.Equal("provider error on call 0", (await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Conversation))).Message);

        var all = new ScriptedChatClient((_, _) => "x") { FailingCalls = new HashSet<int> { 0, 1 } };
        using var both = new BestOfNChatClient(all, GoodWords, new BestOfNChatOptions(candidateCount: 2));
        var error = await Assert.ThrowsAsync<AggregateException>(() => both.GetResponseAsync(Conversation));
        Assert.Equal(2, error.InnerExceptions.Count);
        Assert.Contains("All 2 candidate requests failed", error.Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_call()
    {
        var provider = new ScriptedChatClient((_, _) => "x") { Delay = TimeSpan.FromSeconds(30) };
        using var client = new BestOfNChatClient(provider, GoodWords);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Conversation, null, cancel.Token));
    }

    [Fact]
    public async Task Streaming_yields_the_chosen_answer_once_it_is_chosen()
    {
        using var client = new BestOfNChatClient(Provider(), GoodWords, new BestOfNChatOptions(candidateCount: 5));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, new ChatOptions { Seed = 100 })) updates.Add(update);

        Assert.Equal("good good good.", string.Concat(updates.Select(u => u.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(50, response.Usage!.InputTokenCount);
        // The selection travels with the stream: ToChatResponse of the updates reads like GetResponseAsync.
        var whole = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });
        Assert.Equal(whole.GetReward(), response.GetReward());
        Assert.Equal(whole.GetCandidateSelection()!.SelectedIndex, response.GetCandidateSelection()!.SelectedIndex);
    }

    [Fact]
    public async Task Works_inside_the_standard_builder_pipeline_with_logging()
    {
        var loggers = new ListLoggerFactory();
        var provider = Provider();
        using var client = new ChatClientBuilder(provider)
            .UseLogging(loggers)
            .UseBestOfN(GoodWords, new BestOfNChatOptions(candidateCount: 5))
            .Build();

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

        Assert.Equal("good good good.", response.Text);
        Assert.NotEmpty(loggers.Messages);
        Assert.Same(GoodWords, client.GetService<IRewardSource>());
        Assert.Same(provider, client.GetService<ScriptedChatClient>());
        Assert.IsType<BestOfNChatClient>(client.GetService<BestOfNChatClient>());
    }

    [Fact]
    public async Task An_onnx_reward_model_ranks_the_candidates_as_its_own_scores_do()
    {
        var folder = Path.Combine(Path.GetTempPath(), "alignedgen-bestofn-rm-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var values = Enumerable.Range(0, 259).Select(i => (float)(i % 7) - 3).ToArray();
            TinyRewardModelBuilder.WriteSequenceClassificationFolder(new TinyRewardModelOptions(values, RewardRule.PrefixMeanValue), folder);
            using var rm = RewardModelLoader.FromFolder(folder);
            var direct = rm.Score(Answers.Select(a => new RewardQuery("How was it?", a)).ToList());
            using var client = new BestOfNChatClient(Provider(), rm, new BestOfNChatOptions(candidateCount: 5));

            var response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 100 });

            Assert.Equal(direct, (float[])response.AdditionalProperties![ChatResponseRewardExtensions.RewardsKey]!);
            Assert.Equal(Answers[Array.IndexOf(direct, direct.Max())], response.Text);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Options_are_checked_on_creation(int candidates, int concurrency)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BestOfNChatOptions(candidates, concurrency));
        Assert.Contains("at least 1", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
