using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// CARDS end to end on builder models (no shared/ needed): a sampling LM with random bigram logits and reward models
/// whose rewards are known by construction, so the batched search can be held against a plain reference and against
/// what its acceptance test guarantees.
/// </summary>
public class CardsStrategyTests : IDisposable
{
    private static readonly string[] Prompts = { "3 4 5", "6 7", "9 12 3 14" };
    private const int Paying = 12;
    private readonly BuilderModelPair _pair = new();
    private readonly ITestOutputHelper _output;

    public CardsStrategyTests(ITestOutputHelper output) => _output = output;

    private OnnxCausalLanguageModel Lm => _pair.Lm;
    private CachedDecoderRewardModel Rm => _pair.Rm;
    private DarwinTestModels Models => _pair.Models;

    public void Dispose() => _pair.Dispose();

    /// <summary>Option sets that between them reach every path: rejections, the retry cap with an earlier best fed again, entropy, EOS and length endings.</summary>
    public static TheoryData<string, CardsOptions> OptionSets => new()
    {
        { "soft, entropy ends", new CardsOptions(rewardGain: 0.4, entropyThreshold: 2.2, minSegmentLength: 2, maxSegmentLength: 6, maxRetries: 4) },
        { "hard, tight cap", new CardsOptions(rewardGain: 1.0, entropyThreshold: 2.4, minSegmentLength: 1, maxSegmentLength: 4, maxRetries: 2, acceptance: CardsAcceptance.Hard) },
        { "absolute threshold, long segments", new CardsOptions(rewardThreshold: 0.6, entropyThreshold: 5, maxSegmentLength: 8, maxRetries: 3, beta: 1.0, topK: 0) },
    };

    private static GenerationOptions Generation(int batchSize = 3, int maxNewTokens = 20) => new(maxNewTokens: maxNewTokens, batchSize: batchSize, seed: 11);

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Batched_CARDS_returns_the_plain_references_tokens_at_any_batch_size_and_on_either_reward_path(string name, CardsOptions options)
    {
        var requests = GenerationRequest.FromPrompts(Prompts);
        var batched = new TextGenerator(Lm, Rm).Generate(requests, new CardsStrategy(options), Generation());
        var single = new TextGenerator(Lm, Rm).Generate(requests, new CardsStrategy(options), Generation(batchSize: 1));
        var text = new TextGenerator(Lm, new OpaqueReward(Rm)).Generate(requests, new CardsStrategy(options), Generation());
        for (int i = 0; i < Prompts.Length; i++)
        {
            var prompt = Lm.Tokenizer.Encode(Prompts[i]);
            var plain = PlainCardsReference.Run(Lm, prompt, _pair.RewardFromScratch, options, 20, Lm.Config.EosTokenIds.ToArray(), SeedMixer.Mix(11, i));
            var trace = (CardsTrace)batched[i].Trace!;
            _output.WriteLine($"{name} / prompt {i}: {batched[i].TokenIds.Count} tokens ({batched[i].FinishReason}), tried {trace.SegmentsTried}, accepted {trace.SegmentsAccepted}, forced {trace.SegmentsForced}, segments [{string.Join(",", trace.SegmentLengths)}]");
            Assert.Equal(plain.Tokens, batched[i].TokenIds);
            Assert.Equal((plain.Tried, plain.Accepted, plain.Forced), (trace.SegmentsTried, trace.SegmentsAccepted, trace.SegmentsForced));
            DarwinSearchTests.Close(plain.Reward, batched[i].Reward!.Value, 1e-4);
            Assert.Equal(batched[i].TokenIds, single[i].TokenIds);
            Assert.Equal(batched[i].TokenIds, text[i].TokenIds);
            Assert.Equal(batched[i].TokenIds.Count, trace.SegmentLengths.Sum());
        }
    }

    [Fact]
    public void The_option_sets_reach_rejections_the_retry_cap_and_every_way_a_response_ends()
    {
        var results = OptionSets.SelectMany(set => new TextGenerator(Lm, Rm).Generate(GenerationRequest.FromPrompts(Prompts), new CardsStrategy((CardsOptions)set[1]), Generation())).ToArray();
        var traces = results.Select(r => (CardsTrace)r.Trace!).ToArray();
        Assert.Contains(traces, t => t.SegmentsTried > t.SegmentsAccepted);
        Assert.Contains(traces, t => t.SegmentsForced > 0);
        Assert.Contains(results, r => r.FinishReason == FinishReason.Eos);
        Assert.Contains(results, r => r.FinishReason == FinishReason.Length);
        // Segments shorter than the cap that did not end the response ended on the entropy test.
        Assert.Contains(traces, t => t.SegmentLengths.SkipLast(1).Any(l => l < 4));
    }

    [Fact]
    public void With_a_reward_that_pays_for_one_token_every_accepted_prefix_clears_the_threshold_and_the_token_is_far_more_frequent()
    {
        // reward = share of token 12 among the prompt and response ids (BOS included): hard acceptance must keep the
        // share at or above the rising threshold after every segment it accepted, so the first segment must contain 12.
        var values = new float[DarwinTestModels.Vocab];
        values[Paying] = 1;
        var rewardOptions = DarwinTestModels.RewardOptions(values, RewardRule.PrefixMeanValue);
        using var rm = Models.RewardModel("pays-12", rewardOptions);
        var prompts = new[] { "3 4 5", "6 7", "9 13 3 14", "5 5 6" };
        var options = new CardsOptions(rewardGain: 0.2, entropyThreshold: 2.3, minSegmentLength: 2, maxSegmentLength: 5, maxRetries: 200, acceptance: CardsAcceptance.Hard);
        var generation = new GenerationOptions(maxNewTokens: 24, batchSize: 4, seed: 3);
        var cards = new TextGenerator(Lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new CardsStrategy(options), generation);
        var plain = new TextGenerator(Lm).Generate(GenerationRequest.FromPrompts(prompts), new SamplingStrategy(options.Sampling), generation);
        for (int i = 0; i < prompts.Length; i++)
        {
            var trace = (CardsTrace)cards[i].Trace!;
            _output.WriteLine($"prompt {i}: [{string.Join(" ", cards[i].TokenIds)}] segments [{string.Join(",", trace.SegmentLengths)}], tried {trace.SegmentsTried}, forced {trace.SegmentsForced}");
            Assert.Equal(0, trace.SegmentsForced);
            var promptIds = Lm.Tokenizer.Encode(prompts[i]);
            int end = 0;
            foreach (int length in trace.SegmentLengths)
            {
                end += length;
                double share = rewardOptions.ExpectedReward(promptIds.Concat(cards[i].TokenIds.Take(end)).ToArray());
                double threshold = Math.Min(trace.FinalThreshold, trace.StartThreshold + end * (trace.FinalThreshold - trace.StartThreshold) / 24);
                Assert.True(share >= threshold - 1e-4, $"prompt {i}: after {end} tokens the share of 12 is {share:F3}, below the threshold {threshold:F3}");
            }
            Assert.Contains(Paying, cards[i].TokenIds.Take(trace.SegmentLengths[0]));
        }
        double Share(IEnumerable<GenerationResult> rs) => rs.Sum(r => r.TokenIds.Count(t => t == Paying)) / (double)rs.Sum(r => r.TokenIds.Count);
        _output.WriteLine($"share of token {Paying}: CARDS {Share(cards):F3}, plain sampling {Share(plain):F3}");
        Assert.True(Share(cards) > 2 * Share(plain) + 0.05, $"CARDS {Share(cards):F3} vs sampling {Share(plain):F3}");
    }

    [Fact]
    public void Accepted_segments_stay_in_the_cache_and_a_rollback_costs_no_model_work()
    {
        // Every token the LM evaluates is a prompt token, a sampled token, or a forced best candidate's token fed again;
        // a rejected segment is cut from the cache without a model call, and with nothing rejected the LM does exactly
        // what plain sampling does.
        var always = new CardsOptions(rewardThreshold: -100, entropyThreshold: 2.3, maxSegmentLength: 5);
        var requests = GenerationRequest.FromPrompts(Prompts);
        var cards = new TextGenerator(Lm, Rm).Generate(requests, new CardsStrategy(always), Generation(batchSize: 1));
        var traces = cards.Select(r => (CardsTrace)r.Trace!).ToArray();
        Assert.All(traces, t => Assert.Equal(t.SegmentsAccepted, t.SegmentsTried));
        Assert.All(traces, t => Assert.Equal(0, t.RecomputedTokens));
        for (int i = 0; i < cards.Count; i++)
        {
            int closing = cards[i].FinishReason == FinishReason.Eos ? 0 : 1;   // the last token is fed but never stepped past
            Assert.Equal(cards[i].PromptTokenCount + cards[i].TokenIds.Count - closing, cards[i].Cost.LmTokens);
        }

        var strict = new CardsOptions(rewardGain: 0.4, entropyThreshold: 2.2, minSegmentLength: 2, maxSegmentLength: 6, maxRetries: 4);
        var rejected = new TextGenerator(Lm, Rm).Generate(requests, new CardsStrategy(strict), Generation(batchSize: 1));
        Assert.Contains(rejected, r => ((CardsTrace)r.Trace!).SegmentsTried > ((CardsTrace)r.Trace!).SegmentsAccepted);
        foreach (var r in rejected)
        {
            var t = (CardsTrace)r.Trace!;
            Assert.True(r.Cost.LmTokens <= r.PromptTokenCount + t.SampledTokens + t.RecomputedTokens, $"LM tokens {r.Cost.LmTokens} > prompt {r.PromptTokenCount} + sampled {t.SampledTokens} + recomputed {t.RecomputedTokens}");
        }
    }

    [Fact]
    public void A_cached_reward_model_is_fed_each_candidates_new_tokens_only()
    {
        // The text path scores prompt + accepted + segment for every candidate; the cached path feeds the prompt once and
        // then only what its cache lacks, cutting rejected segments off again. Same tokens either way (tested above).
        var options = new CardsOptions(rewardGain: 0.4, entropyThreshold: 2.2, minSegmentLength: 2, maxSegmentLength: 6, maxRetries: 4);
        var requests = GenerationRequest.FromPrompts(Prompts);
        var cached = new TextGenerator(Lm, Rm).Generate(requests, new CardsStrategy(options), Generation(maxNewTokens: 32));
        var text = new TextGenerator(Lm, new OpaqueReward(Rm)).Generate(requests, new CardsStrategy(options), Generation(maxNewTokens: 32));
        for (int i = 0; i < Prompts.Length; i++)
        {
            var trace = (CardsTrace)cached[i].Trace!;
            Assert.Equal(text[i].TokenIds, cached[i].TokenIds);
            // At most the prompt once plus every sampled token (fed at most once per candidate), against whole sequences.
            Assert.True(cached[i].Cost.RewardTokens <= cached[i].PromptTokenCount + trace.SampledTokens + trace.RecomputedTokens,
                $"prompt {i}: cached RM tokens {cached[i].Cost.RewardTokens}, prompt {cached[i].PromptTokenCount}, sampled {trace.SampledTokens}");
            _output.WriteLine($"prompt {i}: RM tokens cached {cached[i].Cost.RewardTokens}, whole sequences {text[i].Cost.RewardTokens}; RM calls {cached[i].Cost.RewardCalls} vs {text[i].Cost.RewardCalls:F1}");
        }
        Assert.True(cached.Sum(r => r.Cost.RewardTokens) < 0.5 * text.Sum(r => r.Cost.RewardTokens));
    }

    [Fact]
    public void CARDS_without_a_reward_source_says_what_to_pass()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new TextGenerator(Lm).Generate(GenerationRequest.FromPrompts(Prompts), new CardsStrategy(), Generation()));
        Assert.Contains("reward source", ex.Message);
    }
}
