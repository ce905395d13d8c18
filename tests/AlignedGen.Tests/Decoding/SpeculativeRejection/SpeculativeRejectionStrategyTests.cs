using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// Speculative Rejection end to end on builder models (no shared/ needed): a sampling LM with random bigram logits and
/// reward models whose rewards are known by construction.
/// </summary>
public class SpeculativeRejectionStrategyTests : IDisposable
{
    private static readonly string[] Prompts = { "3 4 5", "6 7", "9 12 3 14" };
    private const int Paying = 12;
    private readonly BuilderModelPair _pair = new();
    private readonly ITestOutputHelper _output;

    public SpeculativeRejectionStrategyTests(ITestOutputHelper output) => _output = output;

    private OnnxCausalLanguageModel Lm => _pair.Lm;
    private CachedDecoderRewardModel Rm => _pair.Rm;
    private DarwinTestModels Models => _pair.Models;

    public void Dispose() => _pair.Dispose();

    private static readonly SamplingOptions Sampling = new(0.9, topK: 8);

    public static TheoryData<string, SpeculativeRejectionOptions> OptionSets => new()
    {
        { "α 0.5 from 3 tokens", new SpeculativeRejectionOptions(samples: 6, alpha: 0.5, firstDecision: 3, sampling: Sampling) },
        { "α 0.7, 10 samples", new SpeculativeRejectionOptions(samples: 10, alpha: 0.7, firstDecision: 2, sampling: Sampling) },
        { "explicit points", new SpeculativeRejectionOptions(samples: 5, alpha: 0.3, decisionPoints: new[] { 1, 4, 5, 9 }, sampling: Sampling) },
    };

    private static GenerationOptions Generation(int batchSize = 3) => new(maxNewTokens: 16, batchSize: batchSize, seed: 11);

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Batched_search_returns_the_plain_references_tokens_at_any_batch_size_and_on_either_reward_path(string name, SpeculativeRejectionOptions options)
    {
        var requests = GenerationRequest.FromPrompts(Prompts);
        var batched = new TextGenerator(Lm, Rm).Generate(requests, new SpeculativeRejectionStrategy(options), Generation());
        var single = new TextGenerator(Lm, Rm).Generate(requests, new SpeculativeRejectionStrategy(options), Generation(batchSize: 1));
        var text = new TextGenerator(Lm, new OpaqueReward(Rm)).Generate(requests, new SpeculativeRejectionStrategy(options), Generation());
        for (int i = 0; i < Prompts.Length; i++)
        {
            var plain = PlainSpeculativeRejectionReference.Run(Lm, Lm.Tokenizer.Encode(Prompts[i]), _pair.RewardFromScratch, options, 16,
                Lm.Config.EosTokenIds.ToArray(), SeedMixer.Mix(11, i));
            var trace = (SpeculativeRejectionTrace)batched[i].Trace!;
            _output.WriteLine($"{name} / prompt {i}: sample {trace.BestSample}, stopped {trace.StoppedEarly}/{trace.Samples}, decisions at [{string.Join(",", trace.Decisions.Select(d => $"{d.Length}:{d.Kept}/{d.Pool}"))}], sampled {trace.SampledTokens}");
            Assert.Equal(plain.Tokens, batched[i].TokenIds);
            Assert.Equal((plain.Sample, plain.StoppedEarly, plain.SampledTokens), (trace.BestSample, trace.StoppedEarly, trace.SampledTokens));
            Assert.Equal(plain.Lengths, trace.Decisions.Select(d => d.Length));
            DarwinSearchTests.Close(plain.Reward, batched[i].Reward!.Value, 1e-4);
            Assert.Equal(batched[i].TokenIds, single[i].TokenIds);
            Assert.Equal(batched[i].TokenIds, text[i].TokenIds);
            // A prompt's reward-model work is its own (calls its samples took part in, positions fed for them).
            Assert.Equal((single[i].Cost.RewardCalls, single[i].Cost.RewardTokens), (batched[i].Cost.RewardCalls, batched[i].Cost.RewardTokens));
            // By construction: the prefill and one call per decision point reached, then the final scoring when a sample
            // grew after the last decision; at least the prompt once and every sampled token once.
            Assert.InRange(batched[i].Cost.RewardCalls, 1 + trace.Decisions.Count, 2 + trace.Decisions.Count);
            Assert.True(batched[i].Cost.RewardTokens >= batched[i].PromptTokenCount + trace.SampledTokens, $"{batched[i].Cost.RewardTokens} positions");
        }
    }

    [Fact]
    public void Every_answer_is_one_of_best_of_ns_samples_and_stopping_costs_fewer_lm_and_reward_tokens()
    {
        var requests = GenerationRequest.FromPrompts(Prompts);
        var options = new SpeculativeRejectionOptions(samples: 8, alpha: 0.5, firstDecision: 3, sampling: Sampling);
        var spec = new TextGenerator(Lm, Rm).Generate(requests, new SpeculativeRejectionStrategy(options), Generation());
        var bon = new TextGenerator(Lm, Rm).Generate(requests, new BestOfNStrategy(new BestOfNOptions(8, Sampling, keepAll: true)), Generation());
        for (int i = 0; i < Prompts.Length; i++)
        {
            int sample = ((SpeculativeRejectionTrace)spec[i].Trace!).BestSample;
            Assert.Equal(bon[i].Alternatives[sample].TokenIds, spec[i].TokenIds);
        }
        double Sum(IEnumerable<GenerationResult> rs, Func<GenerationCost, double> cost) => rs.Sum(r => cost(r.Cost));
        _output.WriteLine($"LM tokens: spec {Sum(spec, c => c.LmTokens)}, best-of-8 {Sum(bon, c => c.LmTokens)}; RM tokens: spec {Sum(spec, c => c.RewardTokens)}, best-of-8 {Sum(bon, c => c.RewardTokens)}");
        Assert.True(Sum(spec, c => c.LmTokens) < 0.6 * Sum(bon, c => c.LmTokens));
        Assert.True(Sum(spec, c => c.RewardTokens) < Sum(bon, c => c.RewardTokens));
    }

    [Fact]
    public void With_a_tiny_rejection_rate_nothing_stops_and_the_answer_is_best_of_ns()
    {
        var requests = GenerationRequest.FromPrompts(Prompts);
        var spec = new TextGenerator(Lm, Rm).Generate(requests, new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(samples: 6, alpha: 0.01, firstDecision: 2, sampling: Sampling)), Generation());
        var bon = new TextGenerator(Lm, Rm).Generate(requests, new BestOfNStrategy(new BestOfNOptions(6, Sampling)), Generation());
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(0, ((SpeculativeRejectionTrace)spec[i].Trace!).StoppedEarly);
            Assert.Equal(bon[i].TokenIds, spec[i].TokenIds);
            DarwinSearchTests.Close(bon[i].Reward!.Value, spec[i].Reward!.Value, 1e-4);
        }
    }

    [Fact]
    public void With_a_reward_that_pays_for_one_token_the_samples_kept_at_the_first_decision_hold_it_at_least_as_often_as_those_stopped()
    {
        // reward = share of token 12 among prompt and response ids: at a decision all running samples have the same
        // length, so the ranking is by how many 12s their partial responses hold. Sample j's tokens are Best-of-N's
        // sample j's, so Best-of-N's samples show what each stopped sample had written by then.
        var values = new float[DarwinTestModels.Vocab];
        values[Paying] = 1;
        using var rm = Models.RewardModel("pays-12", DarwinTestModels.RewardOptions(values, RewardRule.PrefixMeanValue));
        var prompts = new[] { "3 4 5", "6 7", "9 13 3 14", "5 5 6" };
        const int first = 4, samples = 12;
        var generation = new GenerationOptions(maxNewTokens: 16, batchSize: 4, seed: 5);
        var spec = new TextGenerator(Lm, rm).Generate(GenerationRequest.FromPrompts(prompts),
            new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(samples, 0.5, first, sampling: Sampling)), generation);
        var bon = new TextGenerator(Lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new BestOfNStrategy(new BestOfNOptions(samples, Sampling, keepAll: true)), generation);
        int keptWithToken = 0, stoppedWithToken = 0, kept = 0, stopped = 0;
        for (int i = 0; i < prompts.Length; i++)
        {
            var decision = ((SpeculativeRejectionTrace)spec[i].Trace!).Decisions[0];
            Assert.Equal(first, decision.Length);
            int Count(int j) => bon[i].Alternatives[j].TokenIds.Take(first).Count(t => t == Paying);
            bool Running(int j) => bon[i].Alternatives[j].TokenIds.Count >= first;   // no EOS among its first tokens
            var keptRunning = Enumerable.Range(0, samples).Where(j => !decision.Stopped.Contains(j) && Running(j)).ToArray();
            foreach (int s in decision.Stopped)
                Assert.All(keptRunning, k => Assert.True(Count(k) >= Count(s), $"prompt {i}: stopped sample {s} had {Count(s)} × 12 in its first {first} tokens, kept sample {k} had {Count(k)}"));
            keptWithToken += keptRunning.Count(k => Count(k) > 0);
            stoppedWithToken += decision.Stopped.Count(s => Count(s) > 0);
            kept += keptRunning.Length;
            stopped += decision.Stopped.Count;
        }
        _output.WriteLine($"samples with a 12 by token {first}: kept {keptWithToken}/{kept}, stopped {stoppedWithToken}/{stopped}");
        Assert.True(stopped > 0 && keptWithToken > stoppedWithToken);
    }

    [Fact]
    public void Without_a_reward_source_it_says_what_to_pass()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new TextGenerator(Lm).Generate(GenerationRequest.FromPrompts(Prompts), new SpeculativeRejectionStrategy(), Generation()));
        Assert.Contains("reward source", ex.Message);
    }
}
