using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class ArgsStrategyTests
{
    private sealed class TokenCountReward : IRewardSource
    {
        private readonly int _token;
        public TokenCountReward(int token) => _token = token;
        public string Name => "pays-for-" + _token;
        public int Calls;
        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
        {
            Calls++;
            return queries.Select(q => (float)q.ResponseTokenIds!.Count(t => t == _token)).ToArray();
        }
    }

    private sealed class BrokenReward : IRewardSource
    {
        private readonly Func<int, float[]> _make;
        public BrokenReward(Func<int, float[]> make) => _make = make;
        public string Name => "broken";
        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default) => _make(queries.Count);
    }

    private static OnnxCausalLanguageModel Stories() => OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"), new IdTokenizer(512, 1, 2));

    [SkippableFact]
    public void A_reward_that_pays_for_one_token_makes_ARGS_pick_it_whenever_it_is_a_candidate()
    {
        using var lm = Stories();
        // Token 432 (",") is in the top-10 after "Once upon a time"; with a large weight ARGS must choose it at every step it is a candidate.
        var reward = new TokenCountReward(432);
        var generator = new TextGenerator(lm, reward);
        var options = new GenerationOptions(maxNewTokens: 12, stopAtEos: false);
        var result = generator.Generate(new[] { new GenerationRequest("403 407 261 378") }, new ArgsStrategy(new ArgsOptions(topK: 10, weight: 1000)), options)[0];
        // By construction: every step, 432 is chosen iff it is among the LM's top 10.
        var reference = PlainArgsReference.Greedy(lm, new[] { 1, 403, 407, 261, 378 }, (p, r) => r.Count(t => t == 432), 10, 1000, 12, Array.Empty<int>());
        Assert.Equal(reference, result.TokenIds);
        Assert.Contains(432, result.TokenIds);
        Assert.True(result.TokenIds.Count(t => t == 432) >= 2, "432 should be chosen repeatedly");
        Assert.Equal(result.TokenIds.Count(t => t == 432), result.Reward);
    }

    [SkippableFact]
    public void Weight_zero_ARGS_greedy_equals_plain_greedy()
    {
        using var lm = Stories();
        var generator = new TextGenerator(lm, new TokenCountReward(432));
        var requests = GenerationRequest.FromPrompts(new[] { "403 407 261 378", "403 407" });
        var options = new GenerationOptions(maxNewTokens: 20, seed: 1);
        var greedy = generator.Generate(requests, SamplingStrategy.Greedy, options);
        var args = generator.Generate(requests, new ArgsStrategy(new ArgsOptions(weight: 0)), options);
        for (int i = 0; i < requests.Count; i++) Assert.Equal(greedy[i].TokenIds, args[i].TokenIds);
    }

    [SkippableTheory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void Cached_reward_model_fast_path_picks_the_tokens_of_the_plain_reference(double w)
    {
        using var lm = Stories();
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"), tokenizer: new IdTokenizer(512, 1, 2));
        var prompts = new[] { "403 407 261 378", "403 407 261 378 432 383 286 261 376", "403 407" };
        var generator = new TextGenerator(lm, rm);
        var fast = generator.Generate(GenerationRequest.FromPrompts(prompts), new ArgsStrategy(new ArgsOptions(topK: 10, weight: w)), new GenerationOptions(maxNewTokens: 24, batchSize: 3));
        for (int i = 0; i < prompts.Length; i++)
        {
            var promptIds = lm.Tokenizer.Encode(prompts[i]);
            var plain = PlainArgsReference.Greedy(lm, promptIds, (p, r) => FullRecomputeReward(rm, p.Concat(r).ToArray()), 10, w, 24, lm.Config.EosTokenIds.ToArray());
            Assert.Equal(plain, fast[i].TokenIds);
            Assert.True(fast[i].Cost.RewardCalls > 0);
        }
    }

    internal static float FullRecomputeReward(CachedDecoderRewardModel rm, int[] ids)
    {
        using var state = rm.CreateState();
        state.Extend(new[] { ids });
        return state.Output(0)[0];
    }

    [SkippableFact]
    public void A_reward_source_returning_the_wrong_count_or_NaN_fails_naming_the_source()
    {
        using var lm = Stories();
        var request = new[] { new GenerationRequest("403 407") };
        var wrongCount = new TextGenerator(lm, new BrokenReward(n => new float[n - 1]));
        var ex = Assert.Throws<RewardSourceException>(() => wrongCount.Generate(request, new ArgsStrategy(), new GenerationOptions(maxNewTokens: 4)));
        Assert.Contains("broken", ex.Message);
        Assert.Contains("exactly one score per query", ex.Message);
        var nan = new TextGenerator(lm, new BrokenReward(n => Enumerable.Range(0, n).Select(i => i == 3 ? float.NaN : 0f).ToArray()));
        var ex2 = Assert.Throws<RewardSourceException>(() => nan.Generate(request, new ArgsStrategy(), new GenerationOptions(maxNewTokens: 4)));
        Assert.Equal("broken", ex2.SourceName);
        Assert.Equal(3, ex2.Row);
    }

    [SkippableFact]
    public void Top_k_larger_than_the_vocabulary_is_rejected_with_the_size()
    {
        using var lm = Stories();
        var generator = new TextGenerator(lm, new TokenCountReward(1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(new[] { new GenerationRequest("403") }, new ArgsStrategy(new ArgsOptions(topK: 600)), new GenerationOptions(maxNewTokens: 2)));
        Assert.Contains("512", ex.Message);
    }

    [Theory]
    [InlineData(0, 1.0, false, 0.7, "topK")]
    [InlineData(10, double.NaN, false, 0.7, "weight")]
    [InlineData(10, double.PositiveInfinity, false, 0.7, "weight")]
    [InlineData(10, 1.0, true, 0.0, "temperature")]
    [InlineData(10, 1.0, true, -1.0, "temperature")]
    public void Invalid_ARGS_options_name_the_parameter(int k, double w, bool stochastic, double t, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ArgsOptions(k, w, stochastic, t));
        Assert.Equal(parameter, ex.ParamName);
    }

    [SkippableFact]
    public void ARGS_stochastic_is_reproducible_with_a_seed_and_best_of_n_keeps_the_best_sample()
    {
        using var lm = Stories();
        var reward = new TokenCountReward(432);
        var generator = new TextGenerator(lm, reward);
        var requests = GenerationRequest.FromPrompts(new[] { "403 407 261 378", "403 407" });
        var stochastic = new ArgsStrategy(new ArgsOptions(stochastic: true));
        var a = generator.Generate(requests, stochastic, new GenerationOptions(maxNewTokens: 16, seed: 3));
        var b = generator.Generate(requests, stochastic, new GenerationOptions(maxNewTokens: 16, seed: 3, batchSize: 1));
        for (int i = 0; i < requests.Count; i++) Assert.Equal(a[i].TokenIds, b[i].TokenIds);

        var bon = generator.Generate(requests, new BestOfNStrategy(new BestOfNOptions(n: 6, keepAll: true)), new GenerationOptions(maxNewTokens: 16, seed: 5));
        foreach (var r in bon)
        {
            Assert.Equal(6, r.Alternatives.Count);
            Assert.Equal(r.Alternatives.Max(x => x.Reward), r.Reward);
            Assert.Equal(r.TokenIds.Count(t => t == 432), r.Reward);
            Assert.True(r.Alternatives.Select(x => string.Join(",", x.TokenIds)).Distinct().Count() > 1, "samples should differ");
        }
    }
}
