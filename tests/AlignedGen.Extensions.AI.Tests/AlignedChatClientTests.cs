using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using Microsoft.Extensions.AI;
using Xunit;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AlignedGen.Extensions.AI.Tests;

/// <summary>The chat client over the embedded demo model: ChatOptions mapping, templates, usage, finish reasons, strategies.</summary>
public sealed class AlignedChatClientTests : IClassFixture<AlignedChatClientTests.DemoModel>
{
    private readonly OnnxCausalLanguageModel _model;

    public AlignedChatClientTests(DemoModel demo) => _model = demo.Model;

    /// <summary>The demo model, loaded once for the class.</summary>
    public sealed class DemoModel : IDisposable
    {
        public OnnxCausalLanguageModel Model { get; } = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());

        public void Dispose() => Model.Dispose();
    }

    private static readonly IRewardSource CountE = DelegateRewardSource.PerQuery("count-e", q => q.Response.Count(c => c == 'e'));

    private IReadOnlyList<GenerationResult> Direct(string prompt, IDecodingStrategy strategy, int maxNewTokens, IRewardSource? reward = null, int? seed = null) =>
        new TextGenerator(_model, reward).Generate([new GenerationRequest(prompt)], strategy, new GenerationOptions(maxNewTokens: maxNewTokens, batchSize: 1, seed: seed));

    [Fact]
    public async Task Greedy_answers_as_the_generator_does_with_usage_and_finish_reason()
    {
        using var client = new AlignedChatClient(_model);

        var response = await client.GetResponseAsync("The cat", new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });

        var expected = Direct("The cat", SamplingStrategy.Greedy, 16)[0];
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(_model.Tokenizer.Encode("The cat", true).Count, response.Usage!.InputTokenCount);
        Assert.Equal(expected.TokenIds.Count, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal(expected.FinishReason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(_model.Name, response.ModelId);
        Assert.Equal("greedy", response.AdditionalProperties!["alignedgen.strategy"]);
    }

    [Fact]
    public async Task Max_output_tokens_ends_with_length_and_a_stop_sequence_with_stop()
    {
        using var client = new AlignedChatClient(_model);

        var cut = await client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 3 });
        Assert.Equal(ChatFinishReason.Length, cut.FinishReason);
        Assert.Equal(3, cut.Usage!.OutputTokenCount);

        var full = Direct("Once upon a time", SamplingStrategy.Greedy, 40)[0].Text;
        var stop = full.Trim()[..2];
        var stopped = await client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 40, StopSequences = [stop] });
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.DoesNotContain(stop, stopped.Text);
        Assert.StartsWith(stopped.Text, full);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sample_and_top_k_1_is_greedy()
    {
        using var client = new AlignedChatClient(_model);
        var options = new ChatOptions { Temperature = 1.0f, Seed = 42, MaxOutputTokens = 20 };

        var first = await client.GetResponseAsync("She said", options);
        var second = await client.GetResponseAsync("She said", options);
        var topOne = await client.GetResponseAsync("She said", new ChatOptions { Temperature = 1.0f, TopK = 1, Seed = 7, MaxOutputTokens = 20 });

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(Direct("She said", SamplingStrategy.Greedy, 20)[0].Text, topOne.Text);
    }

    [Fact]
    public async Task Conversations_are_rendered_with_the_named_chat_template()
    {
        using var client = new AlignedChatClient(_model, options: new AlignedChatClientOptions(chatTemplate: "human-assistant", maxOutputTokens: 8));
        List<AiChatMessage> conversation = [new(ChatRole.System, "Be kind."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello."), new(ChatRole.User, "A story?")];

        var response = await client.GetResponseAsync(conversation, new ChatOptions { Temperature = 0 });

        var rendered = ChatTemplate.HumanAssistant.Format(conversation.Select(m => new Tokenization.ChatMessage(m.Role.Value, m.Text)).ToList());
        Assert.Equal(_model.Tokenizer.Encode(rendered, true).Count, response.Usage!.InputTokenCount);
        Assert.Equal(Direct(rendered, SamplingStrategy.Greedy, 8)[0].Text, response.Text);
    }

    [Fact]
    public async Task A_conversation_without_a_template_is_refused_with_the_fix()
    {
        using var client = new AlignedChatClient(_model);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hey"), new(ChatRole.User, "So?")]));
        Assert.Contains("has no chat template", error.Message);
        Assert.Contains("chatTemplate: \"chatml\"", error.Message);
    }

    [Fact]
    public async Task WithArgs_decodes_with_ARGS_guided_by_the_clients_reward()
    {
        using var client = new AlignedChatClient(_model, CountE);

        var response = await client.GetResponseAsync("The little dog", new ChatOptions { MaxOutputTokens = 12 }.WithArgs(weight: 1.5, topK: 5));

        var expected = Direct("The little dog", new ArgsStrategy(new ArgsOptions(topK: 5, weight: 1.5)), 12, CountE)[0];
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal("args-greedy", response.AdditionalProperties!["alignedgen.strategy"]);
        Assert.Equal(expected.Reward, response.GetReward());
    }

    [Fact]
    public async Task A_strategy_spec_and_a_per_call_reward_travel_in_the_options()
    {
        using var client = new AlignedChatClient(_model);
        var options = new ChatOptions { MaxOutputTokens = 10, Seed = 3 }.WithStrategy("best-of-3").WithReward(CountE);

        var response = await client.GetResponseAsync("In the morning", options);

        Assert.Equal("best-of-3", response.AdditionalProperties!["alignedgen.strategy"]);
        Assert.Equal(response.Text.Count(c => c == 'e'), response.GetReward());
        Assert.Same(CountE, options.GetAlignedDecoding()!.Reward);
    }

    [Fact]
    public void GetService_returns_the_model_the_reward_and_the_metadata()
    {
        using var client = new AlignedChatClient(_model, CountE);
        Assert.Same(_model, client.GetService<ICausalLanguageModel>());
        Assert.Same(_model, client.GetService<OnnxCausalLanguageModel>());
        Assert.Same(CountE, client.GetService<IRewardSource>());
        Assert.Equal(_model.Name, client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Null(client.GetService<ICausalLanguageModel>("keyed"));
    }

    [Fact]
    public async Task Works_inside_the_builder_pipeline_and_under_BestOfNChatClient()
    {
        var loggers = new ListLoggerFactory();
        using var client = new ChatClientBuilder(new AlignedChatClient(_model))
            .UseLogging(loggers)
            .UseBestOfN(CountE, new BestOfNChatOptions(candidateCount: 3, temperature: 1.0))
            .Build();

        var response = await client.GetResponseAsync("A bird", new ChatOptions { MaxOutputTokens = 12, Seed = 10 });

        var selection = response.GetCandidateSelection()!;
        Assert.Equal(3, selection.Candidates.Count);
        Assert.Equal(selection.Candidates.Max(c => c.Reward), response.GetReward());
        Assert.Equal(selection.Candidates.Sum(c => c.Response!.Usage!.OutputTokenCount), response.Usage!.OutputTokenCount);
        Assert.NotEmpty(loggers.Messages);
        Assert.Same(_model, client.GetService<ICausalLanguageModel>());
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("sample")]
    [InlineData("args")]
    public async Task Streaming_sends_text_token_by_token_and_adds_up_to_the_response(string setting)
    {
        using var client = new AlignedChatClient(_model, CountE);
        var options = setting switch
        {
            "greedy" => new ChatOptions { Temperature = 0, MaxOutputTokens = 24, StopSequences = ["\n\n"] },
            "sample" => new ChatOptions { Temperature = 1.2f, Seed = 9, MaxOutputTokens = 24 },
            _ => new ChatOptions { Seed = 9, MaxOutputTokens = 24 }.WithArgs(weight: 1.5, topK: 5),
        };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", options)) updates.Add(update);
        var response = await client.GetResponseAsync("Once upon a time", options);

        var texts = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.True(texts.Count > 3, $"expected the text in many updates, got {texts.Count}");
        Assert.Equal(response.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.Single(texts.Select(u => u.MessageId).Distinct());
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        // Only the last update ends the answer: finish reason, usage and AlignedGen's properties.
        var last = updates[^1];
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
        Assert.Equal(response.FinishReason, last.FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal(response.Usage!.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(response.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(response.AdditionalProperties!["alignedgen.strategy"], last.AdditionalProperties!["alignedgen.strategy"]);

        var coalesced = updates.ToChatResponse();
        Assert.Equal(response.Text, coalesced.Text);
        Assert.Equal(response.FinishReason, coalesced.FinishReason);
        Assert.Equal(response.Usage.TotalTokenCount, coalesced.Usage!.TotalTokenCount);
        Assert.Equal(response.GetReward(), coalesced.GetReward());
        Assert.Equal(response.AdditionalProperties["alignedgen.strategy"], coalesced.AdditionalProperties!["alignedgen.strategy"]);
        Assert.Single(coalesced.Messages);
    }

    [Fact]
    public async Task Streaming_through_the_builder_pipeline_with_logging_arrives_in_pieces()
    {
        var loggers = new ListLoggerFactory();
        using var client = new ChatClientBuilder(new AlignedChatClient(_model)).UseLogging(loggers).Build();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 };

        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("The cat", options))
            if (update.Text.Length > 0) pieces.Add(update.Text);

        Assert.True(pieces.Count > 3, $"expected many pieces, got {pieces.Count}");
        Assert.Equal(Direct("The cat", SamplingStrategy.Greedy, 16)[0].Text, string.Concat(pieces));
        Assert.NotEmpty(loggers.Messages);
    }

    [Fact]
    public async Task Best_of_N_through_the_client_streams_the_answer_when_it_is_decided()
    {
        using var client = new AlignedChatClient(_model, CountE);
        var options = new ChatOptions { Seed = 3, MaxOutputTokens = 16 }.WithBestOfN(3);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("A bird", options)) updates.Add(update);

        Assert.Single(updates, u => u.Text.Length > 0);
        Assert.Equal((await client.GetResponseAsync("A bird", options)).Text, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task Leaving_a_stream_early_frees_the_client_for_the_next_call()
    {
        using var client = new AlignedChatClient(_model);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 64 };
        await foreach (var update in client.GetStreamingResponseAsync("The cat", options))
            if (update.Text.Length > 0) break;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.GetResponseAsync("The cat", new ChatOptions { Temperature = 0, MaxOutputTokens = 8 }, timeout.Token);
        Assert.Equal(Direct("The cat", SamplingStrategy.Greedy, 8)[0].Text, response.Text);
    }
}
