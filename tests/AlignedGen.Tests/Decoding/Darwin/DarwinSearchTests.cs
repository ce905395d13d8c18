using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// DARWIN end to end on builder models (no shared/ needed): a sampling LM and a reward model whose reward is known by
/// construction (the mean of per-token values), so every recorded reward, kept state and replacement can be checked.
/// </summary>
public class DarwinSearchTests : IDisposable
{
    private static readonly string[] Prompts = { "3 4 5", "6 7", "9 12 3 14" };
    private readonly DarwinTestModels _models = new();
    private readonly OnnxCausalLanguageModel _lm;
    private readonly CachedDecoderRewardModel _rm;

    public DarwinSearchTests()
    {
        _lm = _models.RandomLm();
        _rm = _models.MeanRewardModel();
    }

    public void Dispose()
    {
        _lm.Dispose();
        _rm.Dispose();
        _models.Dispose();
    }

    /// <summary>Rewrite k of a parent: the parent itself, then the parent plus one more token (distinct ids, so replacements re-prefill).</summary>
    private static readonly FixedMutator Rewrites = new((parent, k) => k == 0 ? parent : parent + " " + (2 + k));

    private static DarwinOptions Options(bool distinct, bool trace = true) =>
        new(mutations: 4, replacementPeriod: 3, keep: 2, iterations: 2, traceSegments: trace, mutate: distinct, mutator: distinct ? Rewrites : null);

    private static readonly GenerationOptions Generation = new(maxNewTokens: 14, batchSize: 3, seed: 11);

    private float Oracle(string prompt, IEnumerable<int> response)
        => (float)_models.MeanRewardOptions.ExpectedReward(_lm.Tokenizer.Encode(prompt).Concat(response).ToArray());

    internal static void Close(double expected, double actual, double tolerance = 1e-4)
        => Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_replacement_point_keeps_the_top_states_and_the_other_running_beams_take_their_responses(bool distinct)
    {
        var results = new TextGenerator(_lm, _rm).Generate(GenerationRequest.FromPrompts(Prompts), new DarwinStrategy(Options(distinct)), Generation);
        int replacements = 0;
        for (int p = 0; p < Prompts.Length; p++)
        {
            var trace = Assert.IsType<DarwinTrace>(results[p].Trace);
            Assert.Equal(Prompts[p], trace.OriginalInstruction);
            Assert.Equal(2, trace.Iterations.Count);
            Assert.Equal(!distinct, trace.ReplacementOnly);
            if (!distinct) Assert.Contains(trace.Notes, n => n.Contains("replacement-only"));
            var bestRewards = new List<float> { trace.SeedReward };
            foreach (var it in trace.Iterations)
            {
                var expectedInstructions = Enumerable.Range(0, 4).Select(k => distinct ? (k == 0 ? it.Parent : it.Parent + " " + (2 + k)) : it.Parent);
                Assert.Equal(expectedInstructions, it.Instructions);
                Assert.Contains(it.Parent, trace.Archive.Select(a => a.Instruction));
                Assert.Equal(it.SegmentCount, it.Segments.Count);
                IReadOnlyList<IReadOnlyList<int>>? after = null;
                foreach (var segment in it.Segments)
                {
                    if (after is not null)
                        for (int b = 0; b < 4; b++) Assert.Equal(after[b], segment.Responses[b].Take(after[b].Count));
                    for (int b = 0; b < 4; b++) Close(Oracle(Prompts[p], segment.Responses[b]), segment.Rewards[b]);
                    Assert.Equal(DarwinSelection.TopStates(segment.Rewards.ToArray(), 2), segment.Kept);
                    var next = segment.Responses.ToArray();
                    foreach (var r in segment.Replacements)
                    {
                        Assert.DoesNotContain(r.Target, segment.Kept);
                        Assert.Contains(r.Source, segment.Kept);
                        var expected = r.Cache == ResponseAdoption.Finished ? r.Cache
                            : it.Instructions[r.Target] == it.Instructions[r.Source] ? ResponseAdoption.CopiedCache : ResponseAdoption.Refilled;
                        Assert.Equal(expected, r.Cache);
                        next[r.Target] = segment.Responses[r.Source];
                        if (r.Cache == (distinct ? ResponseAdoption.Refilled : ResponseAdoption.CopiedCache)) replacements++;
                    }
                    after = next;
                }
                for (int b = 0; b < 4; b++)
                {
                    Assert.Equal(it.Segments.Count(s => s.Kept.Contains(b)), it.SelectionCounts[b]);
                    Close(Oracle(Prompts[p], after![b]), it.FinalRewards[b]);
                }
                foreach (var added in it.ArchiveAdditions)
                {
                    Assert.True(added.Reward > it.ParentReward);
                    Assert.Contains(DarwinSelection.MostSelected(it.SelectionCounts, 2), b => it.Instructions[b] == added.Instruction && it.FinalRewards[b] == added.Reward);
                }
                bestRewards.AddRange(it.FinalRewards);
            }
            Assert.Equal(bestRewards.Max(), results[p].Reward);
            Close(Oracle(Prompts[p], results[p].TokenIds), results[p].Reward!.Value);
            if (trace.BestIteration > 0)
                Assert.Equal(trace.Iterations[trace.BestIteration - 1].Instructions[trace.BestBeam], trace.BestInstruction);
            Assert.True(results[p].Cost.LmTokens >= trace.SampledTokens / 2.0);
            Assert.True(results[p].Cost.RewardCalls > 0);
        }
        Assert.True(replacements > 0, "the settings should make running beams replace each other (re-prefilled when instructions differ, cache copies when they match)");
    }

    [Fact]
    public void The_same_seed_gives_the_same_answers_whatever_the_batch_size_and_another_seed_differs()
    {
        var generator = new TextGenerator(_lm, _rm);
        var requests = GenerationRequest.FromPrompts(Prompts);
        var strategy = new DarwinStrategy(Options(distinct: true, trace: false));
        var a = generator.Generate(requests, strategy, Generation);
        var b = generator.Generate(requests, strategy, Generation with { });
        var single = generator.Generate(requests, strategy, new GenerationOptions(maxNewTokens: 14, batchSize: 1, seed: 11));
        var other = generator.Generate(requests, strategy, new GenerationOptions(maxNewTokens: 14, batchSize: 3, seed: 12));
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(a[i].TokenIds, b[i].TokenIds);
            Assert.Equal(a[i].TokenIds, single[i].TokenIds);
            Close(a[i].Reward!.Value, single[i].Reward!.Value);
            // Each request's search is its own: segments and selections do not depend on the other requests in the batch.
            var batched = ((DarwinTrace)a[i].Trace!).Iterations;
            var alone = ((DarwinTrace)single[i].Trace!).Iterations;
            Assert.Equal(alone.Select(it => it.SegmentCount), batched.Select(it => it.SegmentCount));
            Assert.Equal(alone.Select(it => string.Join(",", it.SelectionCounts)), batched.Select(it => string.Join(",", it.SelectionCounts)));
            // ... and so is its reward-model work: the calls its beams took part in, the positions fed for them.
            Assert.Equal((single[i].Cost.RewardCalls, single[i].Cost.RewardTokens), (a[i].Cost.RewardCalls, a[i].Cost.RewardTokens));
        }
        Assert.True(a.Select(r => ((DarwinTrace)r.Trace!).Iterations[0].SegmentCount).Distinct().Count() > 1, "requests should need different numbers of segments");
        Assert.NotEqual(a.Select(r => string.Join(",", r.TokenIds)), other.Select(r => string.Join(",", r.TokenIds)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cached_reward_scoring_finds_what_full_text_scoring_finds_at_a_fraction_of_the_reward_tokens(bool distinct)
    {
        var requests = GenerationRequest.FromPrompts(Prompts);
        var strategy = new DarwinStrategy(Options(distinct, trace: false));
        var cached = new TextGenerator(_lm, _rm).Generate(requests, strategy, Generation);
        var opaque = new OpaqueReward(_rm);
        var text = new TextGenerator(_lm, opaque).Generate(requests, strategy, Generation);
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(text[i].TokenIds, cached[i].TokenIds);
            Close(text[i].Reward!.Value, cached[i].Reward!.Value);
        }
        Assert.True(opaque.Calls > 0);
        Assert.True(cached.Sum(r => r.Cost.RewardTokens) < text.Sum(r => r.Cost.RewardTokens) / 2,
            $"cached {cached.Sum(r => r.Cost.RewardTokens)} vs text {text.Sum(r => r.Cost.RewardTokens)} reward tokens");
    }

    [Fact]
    public void A_reward_model_too_short_for_instruction_plus_response_is_scored_as_text_with_a_note()
    {
        using var shortRm = _models.MeanRewardModel(maxPositions: 12);
        var requests = GenerationRequest.FromPrompts(Prompts);
        var strategy = new DarwinStrategy(Options(distinct: true, trace: false));
        var cached = new TextGenerator(_lm, shortRm).Generate(requests, strategy, Generation);
        var text = new TextGenerator(_lm, new OpaqueReward(shortRm)).Generate(requests, strategy, Generation);
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(text[i].TokenIds, cached[i].TokenIds);
            Close(text[i].Reward!.Value, cached[i].Reward!.Value);
            Assert.Contains(((DarwinTrace)cached[i].Trace!).Notes, n => n.Contains("context of 12 tokens"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_reference_structure_returns_the_same_responses_at_a_higher_cost(bool distinct)
    {
        var options = Options(distinct, trace: false);
        var ours = new TextGenerator(_lm, _rm).Generate(GenerationRequest.FromPrompts(Prompts), new DarwinStrategy(options), Generation);
        var reference = new DarwinReferenceStructure(_lm, _rm, options, Generation);
        for (int i = 0; i < Prompts.Length; i++)
        {
            var answer = reference.Run(Prompts[i], i);
            Assert.Equal(answer.TokenIds, ours[i].TokenIds);
            Close(answer.Reward, ours[i].Reward!.Value);
            Assert.Equal(answer.Instructions, ((DarwinTrace)ours[i].Trace!).Iterations.Select(it => it.Instructions));
        }
        double lm = ours.Sum(r => r.Cost.LmTokens), rm = ours.Sum(r => r.Cost.RewardTokens);
        Assert.True(lm < reference.LmTokenPositions, $"LM token positions: ours {lm}, reference {reference.LmTokenPositions}");
        Assert.True(rm < reference.RewardTokenPositions, $"RM token positions: ours {rm}, reference {reference.RewardTokenPositions}");
    }
}
