using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// Best-of-N: each prompt's row is forked into N samples after one shared prefill, all samples decode as one batch,
/// every sample is scored by the reward source in one batched call, and the best is kept.
/// </summary>
public sealed class BestOfNStrategy : IDecodingStrategy
{
    public BestOfNStrategy(BestOfNOptions? options = null) => Options = options ?? new BestOfNOptions();

    /// <summary>The Best-of-N settings.</summary>
    public BestOfNOptions Options { get; }

    public string Name => $"best-of-{Options.N}";

    /// <summary>N rows of LM cache per prompt (the samples decode as one batch).</summary>
    public long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) => model.CacheBytes(prompts * Options.N, tokens);

    /// <summary>Best-of-N ranks its samples with the reward.</summary>
    public bool NeedsReward => true;

    /// <summary>Best-of-N decides at the end (after scoring every sample): answers stream when chosen.</summary>
    public bool StreamsTokens => false;

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        var reward = context.Reward!; // TextGenerator checked NeedsReward
        int prompts = batch.Count;
        int n = Options.N;
        var forks = new int[prompts * n];
        for (int p = 0; p < prompts; p++)
            for (int j = 0; j < n; j++) forks[p * n + j] = p;
        batch.Fork(forks);
        SamplingStrategy.DecodeToEnd(batch, Options.Sampling, cancellationToken);

        var rows = Enumerable.Range(0, batch.Count).Select(i => batch[i]).ToArray();
        var scores = RewardChecks.ScoreChecked(reward, rows.Select(context.RewardQueryFor).ToArray(), cancellationToken);
        var outcomes = new DecodingOutcome[prompts];
        for (int p = 0; p < prompts; p++)
        {
            int best = p * n;
            for (int j = 1; j < n; j++)
                if (scores[p * n + j] > scores[best]) best = p * n + j;
            outcomes[p] = new DecodingOutcome(rows[best], scores[best])
            {
                RewardCalls = 1,   // the one batched call its samples took part in, whatever else shared it
                RewardTokens = Enumerable.Range(p * n, n).Sum(i => (double)rows[i].PromptTokens.Count + rows[i].GeneratedTokens.Count),
                Alternatives = Options.KeepAll ? Enumerable.Range(p * n, n).Select(i => (rows[i], scores[i])).ToArray() : Array.Empty<(SequenceRow, float)>(),
            };
        }
        return outcomes;
    }
}
