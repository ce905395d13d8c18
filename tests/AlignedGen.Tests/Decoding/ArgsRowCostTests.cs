using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// ARGS's per-row reward-model costs are the row's own: the calls it took part in and the positions evaluated for it,
/// so a prompt costs the same decoded alone or beside others (shards and resumed jobs write the same rm_calls/rm_tokens).
/// </summary>
public class ArgsRowCostTests
{
    private static readonly string[] Prompts = ["403 407 261 378", "403 407 261 378 432 383 286 261 376", "403 407"];

    private static OnnxCausalLanguageModel Stories() => OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"), new IdTokenizer(512, 1, 2));

    [SkippableFact]
    public void With_a_cached_reward_model_a_row_pays_its_prompt_once_k_per_step_and_the_final_score()
    {
        using var lm = Stories();
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"), tokenizer: new IdTokenizer(512, 1, 2));
        const int k = 7;
        var strategy = new ArgsStrategy(new ArgsOptions(topK: k, weight: 1.0));
        var generator = new TextGenerator(lm, rm);
        var batched = generator.Generate(GenerationRequest.FromPrompts(Prompts), strategy, new GenerationOptions(maxNewTokens: 12, batchSize: 3));
        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate(GenerationRequest.FromPrompts([Prompts[i]]), strategy, new GenerationOptions(maxNewTokens: 12, batchSize: 1)).Single();
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
            Assert.Equal((alone.Cost.RewardCalls, alone.Cost.RewardTokens), (batched[i].Cost.RewardCalls, batched[i].Cost.RewardTokens));

            // By construction: one prefill of its prompt, one scoring step per chosen token (EOS included when it ended
            // the row), one final score; positions = its prompt + k per step.
            int steps = batched[i].TokenIds.Count + (batched[i].FinishReason == FinishReason.Eos ? 1 : 0);
            Assert.Equal(1 + steps + 1, batched[i].Cost.RewardCalls);
            Assert.Equal(batched[i].PromptTokenCount + k * steps, batched[i].Cost.RewardTokens);
        }
    }

    private sealed class LengthReward : IRewardSource
    {
        public string Name => "length";
        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default) =>
            queries.Select(q => (float)q.Response.Length / 10).ToArray();
    }

    [SkippableFact]
    public void With_any_reward_source_a_row_pays_for_its_own_candidate_texts()
    {
        using var lm = Stories();
        const int k = 4;
        var strategy = new ArgsStrategy(new ArgsOptions(topK: k, weight: 0.5));
        var generator = new TextGenerator(lm, new LengthReward());
        var batched = generator.Generate(GenerationRequest.FromPrompts(Prompts), strategy, new GenerationOptions(maxNewTokens: 6, batchSize: 3));
        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate(GenerationRequest.FromPrompts([Prompts[i]]), strategy, new GenerationOptions(maxNewTokens: 6, batchSize: 1)).Single();
            Assert.Equal((alone.Cost.RewardCalls, alone.Cost.RewardTokens), (batched[i].Cost.RewardCalls, batched[i].Cost.RewardTokens));
            // Step s (0-based) scores k texts of prompt + s + 1 response tokens.
            int steps = batched[i].TokenIds.Count + (batched[i].FinishReason == FinishReason.Eos ? 1 : 0);
            Assert.Equal(steps + 1, batched[i].Cost.RewardCalls);
            Assert.Equal(Enumerable.Range(0, steps).Sum(s => (double)k * (batched[i].PromptTokenCount + s + 1)), batched[i].Cost.RewardTokens);
        }
    }
}
