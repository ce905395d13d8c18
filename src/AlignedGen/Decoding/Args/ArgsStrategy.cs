using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// ARGS — reward-guided search. Each step, for every running row: take the LM's top-k next tokens, score each as
/// <c>logit(v) + w · reward(prompt ⊕ response ⊕ v)</c>, then take the argmax (greedy) or sample from softmax(score/T)
/// (stochastic). All rows' k candidates are scored in one reward call; a cached reward model is prefilled once per
/// prompt and keeps only the chosen candidate's cache. Unlike the reference code, rows stop at EOS and stop strings.
/// </summary>
public sealed class ArgsStrategy : IDecodingStrategy
{
    public ArgsStrategy(ArgsOptions? options = null)
    {
        Options = options ?? ArgsOptions.Default;
    }

    /// <summary>The ARGS settings.</summary>
    public ArgsOptions Options { get; }

    public string Name => Options.Stochastic ? "args-stochastic" : "args-greedy";

    /// <summary>ARGS scores every candidate with the reward.</summary>
    public bool NeedsReward => true;

    /// <summary>Each chosen token is final: streams token by token.</summary>
    public bool StreamsTokens => true;

    /// <summary>A note when the reward model saw only the end of long sequences (reported once per batch), else null.</summary>
    public string? LastWindowNote { get; private set; }

    /// <summary>The LM's cache for one row per prompt, plus the reward model's k-fold candidate cache when it keeps one (rows × k × length).</summary>
    public long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) =>
        model.CacheBytes(prompts, tokens) + ((reward as ICandidateScoringSource)?.CandidateCacheBytes(prompts, Options.TopK, tokens) ?? 0);

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        var reward = context.Reward!; // TextGenerator checked NeedsReward
        int k = Options.TopK;
        if (k > batch.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(ArgsOptions.TopK), k, $"ARGS top-k {k} exceeds the model's vocabulary of {batch.VocabularySize} tokens. Use a smaller k.");

        var tokenizer = context.Model.Tokenizer;
        using var scorer = (reward as ICandidateScoringSource)?.CreateCandidateScorer(tokenizer) ?? new RewardSourceCandidateScorer(reward, tokenizer);
        var responses = Enumerable.Range(0, batch.Count).Select(i => context.PartialResponseFor(batch[i])).ToArray();
        var tokens = new int[batch.Count];
        var active = new List<PartialResponse>(batch.Count);
        var activeIndex = new List<int>(batch.Count);
        var candidates = new int[batch.Count * k];
        var rewards = new float[batch.Count * k];
        var chosen = new int[batch.Count];
        var scores = new float[k];
        while (!batch.AllFinished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            active.Clear();
            activeIndex.Clear();
            for (int i = 0; i < batch.Count; i++)
            {
                if (batch[i].IsFinished) continue;
                TokenSampler.TopK(batch.LogitsView(i), candidates.AsSpan(active.Count * k, k));
                active.Add(responses[i]);
                activeIndex.Add(i);
            }
            int n = active.Count;
            scorer.Score(active, candidates.AsSpan(0, n * k), k, rewards.AsSpan(0, n * k), cancellationToken);
            for (int a = 0; a < n; a++)
            {
                var logits = batch.LogitsView(activeIndex[a]);
                for (int j = 0; j < k; j++)
                {
                    float r = rewards[a * k + j];
                    if (!float.IsFinite(r))
                        throw new RewardSourceException(reward.Name, activeIndex[a], $"returned {r} for candidate token {candidates[a * k + j]}.");
                    scores[j] = (float)(logits[candidates[a * k + j]] + Options.Weight * r);
                }
                chosen[a] = Options.Stochastic
                    ? TokenSampler.SampleSoftmax(scores, Options.Temperature, batch[activeIndex[a]].Random)
                    : TokenSampler.ArgMax(scores);
                tokens[activeIndex[a]] = candidates[a * k + chosen[a]];
            }
            scorer.Commit(active, chosen.AsSpan(0, n));
            batch.Append(tokens);
        }
        LastWindowNote = scorer.Note;

        // Final reward of each response under the guiding source (one batched call).
        var rows = Enumerable.Range(0, batch.Count).Select(i => batch[i]).ToArray();
        var final = RewardChecks.ScoreChecked(reward, rows.Select(context.RewardQueryFor).ToArray(), cancellationToken);
        // Each row's own reward work (the calls it took part in, plus the final score; its own positions) where the scorer
        // counts per row, so a row costs the same whatever shares its batch; else an even share of the batch's.
        return rows.Select((r, i) =>
        {
            var own = scorer.WorkOf(responses[i]);
            return new DecodingOutcome(r, final[i])
            {
                RewardCalls = own is null ? (double)(scorer.Work.Calls + 1) / batch.Count : own.Calls + 1,
                RewardTokens = own is null ? (double)scorer.Work.Tokens / batch.Count : own.Tokens,
            };
        }).ToArray();
    }
}
