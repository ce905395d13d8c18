using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// Issue 13, per-row failure isolation: a prompt that cannot be generated (empty, whitespace, longer than the context, a
/// reward that throws on its response) gives a FinishReason.Error result with its id and the reason, and every other row
/// is generated exactly as in a run without it (before: the first such row threw and the whole call returned nothing).
/// FailFast keeps the old behaviour. Costs are the row's own: the same alone or in any batch.
/// </summary>
public class RowFailureTests
{
    private static readonly BestOfNStrategy BestOf3 = new(new BestOfNOptions(3));

    private static OnnxCausalLanguageModel Demo() => OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());

    private static GenerationOptions Options(int batchSize = 8) => new(maxNewTokens: 6, batchSize: batchSize, seed: 3) { SeedFromRequestId = true };

    private static string Summary(GenerationResult r) => $"{r.Id}|{r.FinishReason}|{r.Text}|{string.Join(",", r.TokenIds)}|{r.Reward}";

    [Fact]
    public void Empty_whitespace_and_overlong_prompts_fail_alone_and_the_other_rows_are_unchanged()
    {
        using var model = Demo();
        var generator = new TextGenerator(model);
        var good = new[] { new GenerationRequest("Once upon a time", "a"), new GenerationRequest("The cat", "b"), new GenerationRequest("A little girl", "c") };
        var bad = new[]
        {
            new GenerationRequest("", "empty"), new GenerationRequest(" \t\n", "blank"),
            new GenerationRequest(string.Join(" ", Enumerable.Repeat("the", model.Config.ContextLength + 4)), "long"),
        };
        var mixed = new[] { good[0], bad[0], good[1], bad[1], bad[2], good[2] };
        var sampling = new SamplingStrategy(new SamplingOptions(temperature: 1.0));

        var results = generator.Generate(mixed, sampling, Options(batchSize: 4));
        var clean = generator.Generate(good, sampling, Options());

        Assert.Equal(mixed.Select(r => r.Id), results.Select(r => r.Id));
        Assert.Equal(clean.Select(Summary), results.Where(r => r.FinishReason != FinishReason.Error).Select(Summary));
        var failed = results.Where(r => r.FinishReason == FinishReason.Error).ToArray();
        Assert.Equal(new[] { "empty", "blank", "long" }, failed.Select(r => r.Id));
        Assert.Contains("(id 'empty') is empty", failed[0].Error);
        Assert.Contains("(id 'blank') is empty", failed[1].Error);
        Assert.Contains("context window", failed[2].Error);
        Assert.All(failed, r => Assert.Equal(("", 0), (r.Text, r.TokenIds.Count)));
        Assert.All(results.Where(r => r.FinishReason != FinishReason.Error), r => Assert.Null(r.Error));

        var thrown = Assert.Throws<ArgumentException>(() => generator.Generate(mixed, sampling, Options() with { FailFast = true }));
        Assert.Contains("(id 'empty') is empty", thrown.Message);
    }

    [Fact]
    public void A_reward_that_throws_on_one_response_fails_that_row_only()
    {
        using var model = Demo();
        // The reward fails for every response to the "poison" prompt, and scores the others by length.
        var reward = DelegateRewardSource.PerQuery("picky", q => q.Prompt.Contains("poison") ? throw new InvalidOperationException("the reward service rejected this text") : q.Response.Length);
        var generator = new TextGenerator(model, reward);
        var good = new[] { new GenerationRequest("Once upon a time", "a"), new GenerationRequest("The cat", "b") };
        var mixed = new[] { good[0], new GenerationRequest("The poison apple", "p"), good[1] };

        var results = generator.Generate(mixed, BestOf3, Options());
        var clean = generator.Generate(good, BestOf3, Options());

        Assert.Equal(new[] { FinishReason.Error }, results.Where(r => r.Id == "p").Select(r => r.FinishReason));
        Assert.Contains("the reward service rejected this text", results.Single(r => r.Id == "p").Error);
        Assert.Equal(clean.Select(Summary), results.Where(r => r.Id != "p").Select(Summary));
        Assert.Throws<InvalidOperationException>(() => generator.Generate(mixed, BestOf3, Options() with { FailFast = true }));
    }

    [Fact]
    public void A_failure_of_every_row_is_not_a_row_failure_and_is_thrown()
    {
        using var model = Demo();
        var broken = DelegateRewardSource.PerQuery("down", _ => throw new InvalidOperationException("the reward service is down"));
        var generator = new TextGenerator(model, broken);
        var requests = new[] { new GenerationRequest("Once upon a time", "a"), new GenerationRequest("The cat", "b") };
        var thrown = Assert.Throws<InvalidOperationException>(() => generator.Generate(requests, BestOf3, Options()));
        Assert.Contains("the reward service is down", thrown.Message);
    }

    [Fact]
    public void A_rows_costs_are_its_own_whatever_its_batch_and_time_is_a_named_share()
    {
        using var model = Demo();
        var generator = new TextGenerator(model);
        var requests = new[] { "Once upon a time", "The cat sat", "A little girl went to the park", "Tom" }.Select((p, i) => new GenerationRequest(p, $"r{i}")).ToArray();
        var together = generator.Generate(requests, SamplingStrategy.Greedy, Options(batchSize: 4));
        var alone = requests.Select(r => generator.Generate(new[] { r }, SamplingStrategy.Greedy, Options(batchSize: 1))[0]).ToArray();

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(alone[i].TokenIds, together[i].TokenIds);
            // Greedy over one prompt: one prefill call of its prompt, then one call per token fed back (the last token is not fed).
            var fed = alone[i].TokenIds.Count - (alone[i].FinishReason == FinishReason.Length ? 1 : 0);
            Assert.Equal(1 + fed, alone[i].Cost.LmCalls);
            Assert.Equal(alone[i].PromptTokenCount + fed, alone[i].Cost.LmTokens);
            Assert.Equal((alone[i].Cost.LmCalls, alone[i].Cost.LmTokens), (together[i].Cost.LmCalls, together[i].Cost.LmTokens));
            Assert.Equal(4, together[i].Cost.BatchRows);
            Assert.Equal(together[i].Cost.BatchElapsed / 4, together[i].Cost.Elapsed);
        }
        Assert.Single(together.Select(r => r.Cost.BatchElapsed).Distinct());
    }
}
