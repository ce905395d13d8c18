using AlignedChat;
using AlignedGen.Decoding;
using AlignedGen.FakeHub;
using AlignedGen.Hub;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;
using Xunit;

namespace AlignedGen.Extensions.AI.Tests;

/// <summary>examples/AlignedChat (a streaming console chat, also over a model from the fake Hub) and examples/BestOfNAnyClient.</summary>
public sealed class ExampleTests : IClassFixture<AlignedChatClientTests.DemoModel>
{
    private readonly OnnxCausalLanguageModel _model;

    public ExampleTests(AlignedChatClientTests.DemoModel demo) => _model = demo.Model;

    private string Greedy(OnnxCausalLanguageModel model, string prompt, int tokens) =>
        new TextGenerator(model).Generate([new GenerationRequest(prompt)], SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: tokens, batchSize: 1))[0].Text;

    [Fact]
    public async Task The_chat_console_streams_each_answer_and_stops_at_exit()
    {
        using var client = new AlignedChatClient(_model);
        var settings = ChatSettings.Parse(["--max-tokens", "12", "--temperature", "0"]);
        var output = new StringWriter();

        var history = await AlignedChat.Program.RunAsync(client, settings, new StringReader("The cat\nShe said\n/exit\nnever read\n"), output);

        var text = output.ToString();
        Assert.Contains("> " + Greedy(_model, "The cat", 12) + "\n[length, 12 tokens]", text);
        Assert.Contains("> " + Greedy(_model, "She said", 12) + "\n[length, 12 tokens]", text);
        Assert.DoesNotContain("never read", text);
        Assert.Equal([ChatRole.User, ChatRole.Assistant], history.Select(m => m.Role)); // no template: one turn at a time
        Assert.Equal("She said", history[0].Text);
    }

    [Fact]
    public async Task The_chat_console_runs_on_a_model_from_the_hub()
    {
        using var hub = new FakeHubServer();
        hub.AddRepository("org/demo").AddFolder(DefaultModels.EnsureDemoModel());
        var cache = Path.Combine(Path.GetTempPath(), "alignedgen-chat-hub-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var client = AlignedChatClient.FromHub("hf:org/demo", hub: new HubOptions(hub.Endpoint, cacheDirectory: cache));
            var output = new StringWriter();

            await AlignedChat.Program.RunAsync(client, ChatSettings.Parse(["--max-tokens", "8", "--temperature", "0"]), new StringReader("Once upon\n"), output);

            Assert.Contains(Greedy(_model, "Once upon", 8), output.ToString());
            Assert.StartsWith(cache, ((OnnxCausalLanguageModel)client.Model).Folder);
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task The_chat_console_steers_with_ARGS_when_asked()
    {
        var reward = DelegateRewardSource.PerQuery("count-e", q => q.Response.Count(c => c == 'e'));
        using var client = new AlignedChatClient(_model, reward);
        var output = new StringWriter();

        await AlignedChat.Program.RunAsync(client, ChatSettings.Parse(["--max-tokens", "10", "--args-weight", "2", "--reward", "unused-here"]), new StringReader("The dog\n"), output);

        var expected = new TextGenerator(_model, reward).Generate([new GenerationRequest("The dog")], new ArgsStrategy(new ArgsOptions(weight: 2)),
            new GenerationOptions(maxNewTokens: 10, batchSize: 1))[0];
        Assert.Contains(expected.Text + "\n[", output.ToString());
        Assert.Contains($"reward {expected.Reward:F3}]", output.ToString());
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "--model" }, "--model needs a value")]
    [InlineData(new[] { "--args-weight", "1.5" }, "give --reward too")]
    public void The_chat_console_explains_bad_arguments(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => ChatSettings.Parse(args)).Message);

    [Fact]
    public async Task The_best_of_n_example_prints_every_candidate_and_returns_the_best()
    {
        using IChatClient other = new AlignedChatClient(_model);
        var reward = DelegateRewardSource.PerQuery("distinct-words", q => q.Response.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
        var output = new StringWriter();

        var responses = await BestOfNAnyClient.Program.RunAsync(other, reward, new BestOfNChatOptions(candidateCount: 3, maxConcurrency: 2), ["The cat", "A bird"], output);

        Assert.Equal(2, responses.Count);
        var lines = output.ToString().Split('\n');
        Assert.Equal(2, lines.Count(l => l.StartsWith(" * [")));
        Assert.Equal(6, lines.Count(l => l.StartsWith("   [") || l.StartsWith(" * [")));
        foreach (var response in responses)
        {
            var selection = response.GetCandidateSelection()!;
            Assert.Equal(selection.Candidates.Max(c => c.Reward), response.GetReward());
            Assert.Contains($"A: {response.Text.ReplaceLineEndings(" ")}  (distinct-words;", output.ToString());
        }
    }
}
