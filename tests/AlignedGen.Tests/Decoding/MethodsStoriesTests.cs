using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Decoding;

/// <summary>CARDS and Speculative Rejection on the shared trained models (stories260K + rm-llama-cached) against their plain references.</summary>
public class MethodsStoriesTests
{
    private readonly ITestOutputHelper _output;

    public MethodsStoriesTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void On_stories260K_CARDS_returns_the_plain_references_tokens_and_its_rollbacks_cost_no_model_work()
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"));
        var prompts = DarwinStoriesTests.StoryPrompts(3);
        var options = new CardsOptions(rewardThreshold: 5, entropyThreshold: 2.0, maxRetries: 6);
        var results = new TextGenerator(lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new CardsStrategy(options), new GenerationOptions(maxNewTokens: 32, seed: 3));
        for (int i = 0; i < prompts.Length; i++)
        {
            var promptIds = lm.Tokenizer.Encode(prompts[i]);
            var plain = PlainCardsReference.Run(lm, promptIds, (p, r) => BuilderModelPair.FromScratch(rm, p, r), options, 32, lm.Config.EosTokenIds.ToArray(), SeedMixer.Mix(3, i));
            var trace = (CardsTrace)results[i].Trace!;
            _output.WriteLine($"prompt {i}: tried {trace.SegmentsTried}, accepted {trace.SegmentsAccepted}, forced {trace.SegmentsForced}; LM tokens {results[i].Cost.LmTokens:F0}, RM tokens {results[i].Cost.RewardTokens:F0}, reward {results[i].Reward:F2}");
            Assert.Equal(plain.Tokens, results[i].TokenIds);
            Assert.Equal((plain.Tried, plain.Accepted, plain.Forced), (trace.SegmentsTried, trace.SegmentsAccepted, trace.SegmentsForced));
        }
        // The LM sees each prompt once and each sampled (or forced-again) token at most once: rejected segments are cut,
        // not recomputed. (Cost is shared evenly over the batch, so compare sums; the prefill pads prompts to the longest.)
        var traces = results.Select(r => (CardsTrace)r.Trace!).ToArray();
        Assert.Contains(traces, t => t.SegmentsTried > t.SegmentsAccepted);
        Assert.True(results.Sum(r => r.Cost.LmTokens) <= results.Count * results.Max(r => r.PromptTokenCount) + traces.Sum(t => t.SampledTokens + t.RecomputedTokens));
    }

    [SkippableFact]
    public void On_stories260K_speculative_rejection_returns_the_plain_references_tokens()
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"));
        var prompts = DarwinStoriesTests.StoryPrompts(3);
        var options = new SpeculativeRejectionOptions(samples: 8, alpha: 0.5, firstDecision: 4);
        var results = new TextGenerator(lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new SpeculativeRejectionStrategy(options), new GenerationOptions(maxNewTokens: 32, seed: 3));
        for (int i = 0; i < prompts.Length; i++)
        {
            var plain = PlainSpeculativeRejectionReference.Run(lm, lm.Tokenizer.Encode(prompts[i]), (p, r) => BuilderModelPair.FromScratch(rm, p, r), options, 32, lm.Config.EosTokenIds.ToArray(), SeedMixer.Mix(3, i));
            var trace = (SpeculativeRejectionTrace)results[i].Trace!;
            _output.WriteLine($"prompt {i}: sample {trace.BestSample}, stopped {trace.StoppedEarly}/{trace.Samples}; LM tokens {results[i].Cost.LmTokens:F0}, RM tokens {results[i].Cost.RewardTokens:F0}");
            Assert.Equal(plain.Tokens, results[i].TokenIds);
            Assert.Equal((plain.Sample, plain.StoppedEarly), (trace.BestSample, trace.StoppedEarly));
        }
    }
}
