using System.Diagnostics;
using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Decoding;

/// <summary>DARWIN on the shared trained models: stories260K (LM) and rm-llama-cached (reward).</summary>
public class DarwinStoriesTests
{
    private readonly ITestOutputHelper _output;

    public DarwinStoriesTests(ITestOutputHelper output) => _output = output;

    internal static string[] StoryPrompts(int count)
        => File.ReadLines(SharedFolder.Require("data", "story-prompts.jsonl")).Where(l => l.Length > 0).Take(count)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();

    /// <summary>Story-domain rewrites of an opening: itself, then with a short sentence added or the opening phrase changed.</summary>
    internal static readonly FixedMutator StoryRewrites = new((p, k) => (k % 5) switch
    {
        0 => p,
        1 => p + " It was a sunny day.",
        2 => p.Replace("Once upon a time, ", "One day, ", StringComparison.Ordinal),
        3 => p + " Everyone was happy.",
        _ => "Once upon a time, in a small town. " + p,
    });

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_stories260K_the_search_matches_the_reference_structure_at_a_fraction_of_its_model_work(bool distinctInstructions)
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        using var rm = OnnxCachedRewardModel.Load(SharedFolder.Require("models", "rm-llama-cached"));
        var prompts = StoryPrompts(4);
        var options = new DarwinOptions(replacementPeriod: 16, iterations: 2, mutationMaxNewTokens: 48, mutator: distinctInstructions ? StoryRewrites : null);
        var generation = new GenerationOptions(maxNewTokens: 64, seed: 5);
        var ours = new TextGenerator(lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new DarwinStrategy(options), generation);
        var reference = new DarwinReferenceStructure(lm, rm, options, generation);
        for (int i = 0; i < prompts.Length; i++)
        {
            var answer = reference.Run(prompts[i], i);
            var trace = (DarwinTrace)ours[i].Trace!;
            Assert.Equal(answer.Instructions, trace.Iterations.Select(it => it.Instructions));
            Assert.Equal(answer.TokenIds, ours[i].TokenIds);
            DarwinSearchTests.Close(answer.Reward, ours[i].Reward!.Value, 1e-3);
            if (!distinctInstructions)
            {
                // stories260K writes stories, not numbered instructions: DARWIN degrades to replacement-only and says so.
                Assert.True(trace.ReplacementOnly);
                Assert.Contains(trace.Notes, n => n.Contains("replacement-only"));
            }
        }
        double lmOurs = ours.Sum(r => r.Cost.LmTokens), rmOurs = ours.Sum(r => r.Cost.RewardTokens);
        _output.WriteLine($"LM token positions: ours {lmOurs:F0}, reference {reference.LmTokenPositions}; RM: ours {rmOurs:F0}, reference {reference.RewardTokenPositions}");
        Assert.True(lmOurs + rmOurs < 0.6 * (reference.LmTokenPositions + reference.RewardTokenPositions));
    }

    [SkippableFact]
    public void Darwin_beats_or_ties_best_of_n_at_the_same_generated_tokens_on_most_story_prompts()
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        using var rm = OnnxCachedRewardModel.Load(SharedFolder.Require("models", "rm-llama-cached"));
        var prompts = StoryPrompts(30);
        var requests = GenerationRequest.FromPrompts(prompts);
        // The paper's M = 5 beams and 3 iterations; keep 2 every 8 tokens over 64-token responses (keep 3 / m = 40 wins less
        // often at this length: measured 20-23 of 30). The model's own mutation falls back (replacement-only).
        var darwinOptions = new DarwinOptions(replacementPeriod: 8, keep: 2, iterations: 3, mutationMaxNewTokens: 64);
        int n = 1 + darwinOptions.Iterations * darwinOptions.Beams;
        var generation = new GenerationOptions(maxNewTokens: 64, seed: 2024);
        var generator = new TextGenerator(lm, rm);
        var clock = Stopwatch.StartNew();
        var darwin = generator.Generate(requests, new DarwinStrategy(darwinOptions), generation);
        var darwinTime = clock.Elapsed;
        clock.Restart();
        var bon = generator.Generate(requests, new BestOfNStrategy(new BestOfNOptions(n, new SamplingOptions(0.7, topK: 40), keepAll: true)), generation);
        var bonTime = clock.Elapsed;

        // Both final responses rescored the same way (the reward source's text path).
        var darwinRewards = rm.Score(darwin.Select((r, i) => new RewardQuery(prompts[i], r.Text)).ToArray());
        var bonRewards = rm.Score(bon.Select((r, i) => new RewardQuery(prompts[i], r.Text)).ToArray());
        int wins = Enumerable.Range(0, prompts.Length).Count(i => darwinRewards[i] >= bonRewards[i]);
        long darwinResponseTokens = darwin.Sum(r => ((DarwinTrace)r.Trace!).SampledTokens);
        long bonTokens = bon.Sum(r => r.Alternatives.Sum(a => (long)a.TokenIds.Count));
        _output.WriteLine($"DARWIN >= Best-of-{n} on {wins}/{prompts.Length} prompts ({100.0 * wins / prompts.Length:F0}%); " +
                          $"mean reward DARWIN {darwinRewards.Average():F3} vs BoN {bonRewards.Average():F3}; " +
                          $"tokens sampled DARWIN {darwinResponseTokens} (mutations included) vs BoN {bonTokens}; time {darwinTime.TotalSeconds:F1}s vs {bonTime.TotalSeconds:F1}s; " +
                          $"LM tokens DARWIN {darwin.Sum(r => r.Cost.LmTokens):F0} vs BoN {bon.Sum(r => r.Cost.LmTokens):F0}");
        Assert.All(darwin, r => Assert.True(((DarwinTrace)r.Trace!).ReplacementOnly));
        Assert.True(wins >= 0.7 * prompts.Length, $"DARWIN >= Best-of-N on only {wins}/{prompts.Length} prompts");
    }
}
