using System.Text;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Decoding.Streaming;

/// <summary>
/// TextGenerator.GenerateStreamingAsync end to end: text per token for greedy / sampling / ARGS, exactly the final text,
/// the same tokens as the batched path (batch 1 and 3), whole characters, no stop-string leak, Best-of-N at the end,
/// cancellation within one step.
/// </summary>
public sealed class TextGeneratorStreamingTests : IClassFixture<TextGeneratorStreamingTests.Models>
{
    private const string Scripted = "hé 世🎉!";   // 12 UTF-8 bytes: é is 2 byte tokens, 世 3, 🎉 4
    private readonly Models _models;

    public TextGeneratorStreamingTests(Models models) => _models = models;

    /// <summary>The embedded demo model; a byte-level chain model that answers "a" with <see cref="Scripted"/> then EOS; a byte-level model of multilingual text.</summary>
    public sealed class Models : IDisposable
    {
        private readonly TempFolder _temp = new();

        public Models()
        {
            Demo = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
            var successors = Enumerable.Repeat(ByteLevelVocabulary.EosId, ByteLevelVocabulary.Size).ToArray();
            int previous = 'a';
            foreach (var b in Encoding.UTF8.GetBytes(Scripted)) { successors[previous] = b; previous = b; }
            Chain = OnnxCausalLanguageModel.Load(TinyDecoderBuilder.WriteFolder(new TinyDecoderOptions(BigramTable.FromSuccessors(successors)), _temp.Sub("chain")));
            var corpus = "naïve café, déjà vu — 世界你好。Ünïcödé ∑ x² → 🎉🇫🇷 ok\nÀ bientôt, señor! 東京 über alles 😀\nχαίρετε κόσμε, привет мир, مرحبا\n";
            Babble = OnnxCausalLanguageModel.Load(TinyDecoderBuilder.WriteFolder(new TinyDecoderOptions(BigramTable.FromCorpus(corpus, smoothing: 0.01)), _temp.Sub("babble")));
        }

        public OnnxCausalLanguageModel Demo { get; }
        public OnnxCausalLanguageModel Chain { get; }
        public OnnxCausalLanguageModel Babble { get; }

        public void Dispose()
        {
            Demo.Dispose();
            Chain.Dispose();
            Babble.Dispose();
            _temp.Dispose();
        }
    }

    private static readonly IRewardSource CountE = DelegateRewardSource.PerQuery("count-e", q => q.Response.Count(c => c == 'e'));

    private static async Task<List<GenerationUpdate>> Collect(IAsyncEnumerable<GenerationUpdate> updates)
    {
        var list = new List<GenerationUpdate>();
        await foreach (var update in updates) list.Add(update);
        return list;
    }

    /// <summary>Each request's updates add up to its result (text and ids) and end with exactly one final update; returns the results.</summary>
    private static GenerationResult[] AssertAddUp(List<GenerationUpdate> updates, int requests)
    {
        var results = new GenerationResult[requests];
        for (int i = 0; i < requests; i++)
        {
            var mine = updates.Where(u => u.Index == i).ToList();
            Assert.NotEmpty(mine);
            Assert.True(mine[^1].IsFinal, $"request {i}'s last update carries no result");
            Assert.Single(mine, u => u.IsFinal);
            var result = mine[^1].Result!;
            Assert.Equal(result.Text, string.Concat(mine.Select(u => u.Text)));
            Assert.Equal(result.TokenIds, mine.SelectMany(u => u.TokenIds));
            results[i] = result;
        }
        Assert.Equal(Enumerable.Range(0, requests), updates.Where(u => u.IsFinal).Select(u => u.Index));
        return results;
    }

    [Fact]
    public async Task Characters_that_span_byte_tokens_stream_whole_and_add_up_to_the_text()
    {
        var generator = new TextGenerator(_models.Chain);
        var updates = await Collect(generator.GenerateStreamingAsync([new GenerationRequest("a")], SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 40)));

        var result = AssertAddUp(updates, 1)[0];
        Assert.Equal(Scripted, result.Text);
        Assert.Equal(FinishReason.Eos, result.FinishReason);
        Assert.Equal(["h", "é", " ", "世", "🎉", "!"], updates.Select(u => u.Text).Where(t => t.Length > 0));
        Assert.Equal(Encoding.UTF8.GetBytes(Scripted).Select(b => (int)b), result.TokenIds);
        // One update per chosen token: the text of a byte that starts a character waits for the rest of it.
        Assert.Equal(12, updates.Count(u => u.TokenIds.Count == 1));
    }

    [Theory]
    [InlineData(" 世", new[] { "h", "é" }, "hé", FinishReason.Stop)]
    [InlineData(" 世X", new[] { "h", "é", " 世🎉", "!" }, Scripted, FinishReason.Eos)]
    [InlineData("🎉!", new[] { "h", "é", " ", "世" }, "hé 世", FinishReason.Stop)]
    public async Task Text_a_stop_string_could_remove_is_held_back_and_never_leaks(string stop, string[] pieces, string text, FinishReason finish)
    {
        var generator = new TextGenerator(_models.Chain);
        var updates = await Collect(generator.GenerateStreamingAsync([new GenerationRequest("a")], SamplingStrategy.Greedy,
            new GenerationOptions(maxNewTokens: 40, stopStrings: [stop])));

        var result = AssertAddUp(updates, 1)[0];
        Assert.Equal(text, result.Text);
        Assert.Equal(finish, result.FinishReason);
        Assert.Equal(pieces, updates.Select(u => u.Text).Where(t => t.Length > 0));
    }

    public static TheoryData<string, int> StrategiesAndBatchSizes() => new()
    {
        { "greedy", 1 }, { "greedy", 3 }, { "sample", 1 }, { "sample", 3 }, { "args", 1 }, { "args", 3 }, { "args-stop", 3 },
    };

    private static (IDecodingStrategy Strategy, GenerationOptions Options) Setting(string name, int batchSize) => name switch
    {
        "greedy" => (SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 24, batchSize: batchSize, seed: 3)),
        "sample" => (new SamplingStrategy(new SamplingOptions(temperature: 1.3, topK: 0, topP: 1.0)), new GenerationOptions(maxNewTokens: 24, batchSize: batchSize, seed: 3)),
        "args" => (new ArgsStrategy(new ArgsOptions(topK: 5, weight: 1.5)), new GenerationOptions(maxNewTokens: 24, batchSize: batchSize, seed: 3)),
        "args-stop" => (new ArgsStrategy(new ArgsOptions(topK: 5, weight: 1.5, stochastic: true)), new GenerationOptions(maxNewTokens: 24, batchSize: batchSize, seed: 3, stopStrings: ["e ", "."])),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(StrategiesAndBatchSizes))]
    public async Task Streaming_changes_no_token_of_the_batched_path(string setting, int batchSize)
    {
        var (strategy, options) = Setting(setting, batchSize);
        Assert.True(strategy.StreamsTokens);
        var requests = GenerationRequest.FromPrompts(["The cat", "Once upon a time", "She said", "A bird sat"]);
        var generator = new TextGenerator(_models.Demo, CountE);

        var batched = generator.Generate(requests, strategy, options);
        var updates = await Collect(generator.GenerateStreamingAsync(requests, strategy, options));
        var streamed = AssertAddUp(updates, requests.Count);

        for (int i = 0; i < requests.Count; i++)
        {
            Assert.Equal(batched[i].TokenIds, streamed[i].TokenIds);
            Assert.Equal(batched[i].Text, streamed[i].Text);
            Assert.Equal(batched[i].FinishReason, streamed[i].FinishReason);
            Assert.Equal(batched[i].Reward, streamed[i].Reward);
            Assert.True(updates.Count(u => u.Index == i && u.TokenIds.Count > 0) == streamed[i].TokenIds.Count, "one update per token while decoding");
        }
    }

    [Fact]
    public async Task A_batch_split_by_the_memory_budget_streams_every_request()
    {
        var generator = new TextGenerator(_models.Demo);
        var requests = GenerationRequest.FromPrompts(["The cat", "Once upon a time", "She said", "A bird sat"]);
        var strategy = new SamplingStrategy(new SamplingOptions(temperature: 0.9));
        var options = new GenerationOptions(maxNewTokens: 12, batchSize: 4, seed: 8);
        long twoRows = _models.Demo.CacheBytes(2, requests.Max(r => generator.EncodePrompt(r.Prompt).Count) + 12);

        var whole = generator.Generate(requests, strategy, options);
        var split = AssertAddUp(await Collect(generator.GenerateStreamingAsync(requests, strategy, options with { MemoryBudgetBytes = twoRows })), requests.Count);

        Assert.All(split, r => Assert.Contains("sub-batches", r.Cost.Note));
        Assert.Equal(whole.Select(r => r.TokenIds), split.Select(r => r.TokenIds));
    }

    [Fact]
    public async Task Sampled_multilingual_bytes_add_up_exactly_in_every_row()
    {
        var generator = new TextGenerator(_models.Babble);
        var requests = GenerationRequest.FromPrompts(Enumerable.Range(0, 6).Select(i => "naïve " + i).ToArray());
        var options = new GenerationOptions(maxNewTokens: 60, batchSize: 3, seed: 11, stopStrings: ["。", "ok"]);
        var strategy = new SamplingStrategy(new SamplingOptions(temperature: 1.0, topK: 0, topP: 1.0));

        var results = AssertAddUp(await Collect(generator.GenerateStreamingAsync(requests, strategy, options)), requests.Count);

        var batched = generator.Generate(requests, strategy, options);
        Assert.Equal(batched.Select(r => r.Text), results.Select(r => r.Text));
        Assert.Contains(results, r => r.Text.Any(c => c > 0x7F));   // the test really crossed multi-byte characters
    }

    [Fact]
    public async Task Best_of_N_streams_each_answer_once_when_it_is_decided()
    {
        var strategy = new BestOfNStrategy(new BestOfNOptions(n: 3, new SamplingOptions(temperature: 1.0)));
        Assert.False(strategy.StreamsTokens);
        var requests = GenerationRequest.FromPrompts(["The cat", "She said"]);
        var options = new GenerationOptions(maxNewTokens: 16, batchSize: 2, seed: 4);
        var generator = new TextGenerator(_models.Demo, CountE);

        var updates = await Collect(generator.GenerateStreamingAsync(requests, strategy, options));

        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.True(u.IsFinal));
        var results = AssertAddUp(updates, 2);
        var batched = generator.Generate(requests, strategy, options);
        Assert.Equal(batched.Select(r => r.TokenIds), results.Select(r => r.TokenIds));
        Assert.Equal(batched.Select(r => r.Reward), results.Select(r => r.Reward));
    }

    [Fact]
    public async Task Cancelling_stops_the_decode_within_one_step()
    {
        var counting = new StepCountingModel(_models.Demo, TimeSpan.FromMilliseconds(5));
        var generator = new TextGenerator(counting);
        using var cancel = new CancellationTokenSource();
        int stepsAtCancel = -1;
        cancel.Token.Register(() => stepsAtCancel = counting.Steps);
        int received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in generator.GenerateStreamingAsync([new GenerationRequest("The cat")], SamplingStrategy.Greedy,
                new GenerationOptions(maxNewTokens: 400, stopAtEos: false), cancel.Token))
            {
                if (++received == 5) cancel.Cancel();
            }
        });

        // The enumeration ends only after the decode has let go; one step may have been under way when the token was cancelled.
        Assert.InRange(counting.Steps - stepsAtCancel, 0, 1);
        Assert.True(counting.Steps < 100, $"the decode ran {counting.Steps} steps of 400");
        int after = counting.Steps;
        await Task.Delay(50);
        Assert.Equal(after, counting.Steps);
    }

    [Fact]
    public async Task A_reader_that_stops_reading_stops_the_decode()
    {
        var counting = new StepCountingModel(_models.Demo, TimeSpan.FromMilliseconds(5));
        var generator = new TextGenerator(counting);

        await foreach (var update in generator.GenerateStreamingAsync([new GenerationRequest("The cat")], SamplingStrategy.Greedy,
            new GenerationOptions(maxNewTokens: 400, stopAtEos: false)))
        {
            if (update.TokenIds.Count > 0) break;
        }

        int after = counting.Steps;
        Assert.True(after < 100, $"the decode ran {after} steps of 400");
        await Task.Delay(50);
        Assert.Equal(after, counting.Steps);
    }

    [Fact]
    public async Task Decode_failures_surface_from_the_enumeration()
    {
        var generator = new TextGenerator(_models.Demo);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(generator.GenerateStreamingAsync(
            [new GenerationRequest("The cat")], new ArgsStrategy(), new GenerationOptions(maxNewTokens: 4))));
        Assert.Contains("needs a reward source", error.Message);
    }

    /// <summary>Claims per-token streaming but forks its rows: the batch must refuse.</summary>
    private sealed class ForkingStrategy : IDecodingStrategy
    {
        public string Name => "forking";
        public bool NeedsReward => false;
        public bool StreamsTokens => true;

        public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
        {
            batch.Fork([0, 0]);
            return [new DecodingOutcome(batch[0])];
        }
    }

    [Fact]
    public async Task A_strategy_that_streams_tokens_may_not_rearrange_its_rows()
    {
        var generator = new TextGenerator(_models.Demo);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(generator.GenerateStreamingAsync(
            [new GenerationRequest("The cat")], new ForkingStrategy(), new GenerationOptions(maxNewTokens: 4))));
        Assert.Contains("StreamsTokens", error.Message);
        // Without streaming the same strategy runs (only the streamed path depends on the promise).
        Assert.Single(generator.Generate([new GenerationRequest("The cat")], new ForkingStrategy(), new GenerationOptions(maxNewTokens: 4)));
    }
}
