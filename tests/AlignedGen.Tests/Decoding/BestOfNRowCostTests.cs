using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>Best-of-N's per-row reward costs are the prompt's own: one call, its N samples' positions.</summary>
public class BestOfNRowCostTests
{
    private static readonly string[] Prompts = ["403 407 261 378", "403 407 261 378 432 383 286 261 376", "403 407"];

    [SkippableFact]
    public void A_prompt_pays_one_reward_call_and_its_own_samples_alone_or_batched()
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"), new IdTokenizer(512, 1, 2));
        using var rm = RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-seqcls"), tokenizer: new IdTokenizer(512, 1, 2));
        var strategy = new BestOfNStrategy(new BestOfNOptions(4, new SamplingOptions(0.8), keepAll: true));
        var generator = new TextGenerator(lm, rm);
        // Seeds from the request ids, so a prompt samples the same alone or batched (as jobs do).
        var requests = Prompts.Select((p, i) => new GenerationRequest(p, $"p{i}")).ToArray();
        GenerationOptions Options(int batch) => new(maxNewTokens: 10, batchSize: batch, seed: 5) { SeedFromRequestId = true };
        var batched = generator.Generate(requests, strategy, Options(3));
        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate([requests[i]], strategy, Options(1)).Single();
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
            Assert.Equal((alone.Cost.RewardCalls, alone.Cost.RewardTokens), (batched[i].Cost.RewardCalls, batched[i].Cost.RewardTokens));
            Assert.Equal(1, batched[i].Cost.RewardCalls);
            // By construction: every sample is scored once, prompt and response.
            Assert.Equal(batched[i].Alternatives.Sum(a => (double)batched[i].PromptTokenCount + a.TokenIds.Count), batched[i].Cost.RewardTokens);
        }
    }
}
