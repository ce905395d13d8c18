using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// Issue 4's exactness check: on stories260K, with rm-llama-cached (fast cached path) and rm-llama-seqcls (every
/// candidate rescored), greedy ARGS with k = 10, w ∈ {0.5, 1.5}, 48 new tokens over 20 prompts of
/// story-prompts.jsonl picks the same tokens as the plainest implementation (no cache, one prompt at a time).
/// </summary>
public class ArgsExactnessTests
{
    private const int K = 10, NewTokens = 48, PromptCount = 20;

    private static string[] Prompts() => File.ReadLines(SharedFolder.Require("data", "story-prompts.jsonl")).Take(PromptCount)
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();

    [SkippableTheory]
    [InlineData("rm-llama-cached", 0.5)]
    [InlineData("rm-llama-cached", 1.5)]
    [InlineData("rm-llama-seqcls", 0.5)]
    [InlineData("rm-llama-seqcls", 1.5)]
    public void Fast_ARGS_picks_the_tokens_of_the_plain_reference(string rewardModel, double w)
    {
        var prompts = Prompts();
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        // The reward model shares the LM's tokenizer, so it reads the LM's ids (prompt ids then response ids), as
        // rm-llama's README defines its input; re-tokenizing decoded text would change ids at word boundaries.
        using var rm = RewardModelLoader.FromFolder(SharedFolder.Require("models", rewardModel));
        var fast = new TextGenerator(lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new ArgsStrategy(new ArgsOptions(K, w)),
            new GenerationOptions(NewTokens, batchSize: 16));

        int same = 0;
        var mismatches = new List<string>();
        for (int i = 0; i < prompts.Length; i++)
        {
            var promptIds = lm.Tokenizer.Encode(prompts[i]);
            // The plainest reward: the reward model over each whole candidate sequence, scored from scratch (no cache).
            var plain = PlainArgsReference.Greedy(lm, promptIds,
                (p, rs) => rm.Score(rs.Select(r => new RewardQuery(prompts[i], lm.Tokenizer.Decode(r)) { PromptTokenIds = p, ResponseTokenIds = r, TokenIdsTokenizer = lm.Tokenizer }).ToArray()),
                K, w, NewTokens, lm.Config.EosTokenIds.ToArray());
            if (plain.SequenceEqual(fast[i].TokenIds)) same++;
            else mismatches.Add($"prompt {i}: plain [{string.Join(",", plain.Take(12))}...] fast [{string.Join(",", fast[i].TokenIds.Take(12))}...]");
        }
        Assert.True(same == prompts.Length, $"{rewardModel}, w={w}: {same}/{prompts.Length} identical. " + string.Join("; ", mismatches));
        Assert.All(fast, r => Assert.True(r.Cost.RewardCalls > 0 && r.Reward is not null));
    }
}
