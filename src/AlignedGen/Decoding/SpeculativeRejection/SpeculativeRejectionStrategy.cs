using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// Speculative Rejection — fast Best-of-N (Sun et al., NeurIPS 2024). Each prompt starts N samples after one shared
/// prefill; at each decision point (a response length in tokens) every running sample's partial response is scored and
/// ranked with the completed responses still in the pool; the lowest-scoring α of the pool stop (their rows leave the
/// batch, survivors keep their KV caches); the rest go on. The answer is the best-scoring completed response. All
/// prompts' samples decode as one batch; a cached reward model that shares the LM's tokenizer is fed only each
/// sample's new tokens. See docs/speculative-rejection.md for where this follows the paper and where the authors' code.
/// </summary>
public sealed class SpeculativeRejectionStrategy : IDecodingStrategy
{
    public SpeculativeRejectionStrategy(SpeculativeRejectionOptions? options = null) => Options = options ?? SpeculativeRejectionOptions.Default;

    /// <summary>The settings.</summary>
    public SpeculativeRejectionOptions Options { get; }

    public string Name => $"speculative-rejection-{Options.Samples}";

    /// <summary>Peak cache: N samples per prompt until the first decision point, in the LM and, on a cached reward model, in the reward state.</summary>
    public long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) =>
        model.CacheBytes(prompts * Options.Samples, tokens) + ((reward as ICandidateScoringSource)?.CandidateCacheBytes(prompts * Options.Samples, 1, tokens) ?? 0);

    /// <inheritdoc />
    public bool NeedsReward => true;

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        var reward = context.Reward ?? throw new InvalidOperationException("Speculative Rejection needs a reward source to rank its samples: pass one to the TextGenerator (a reward model, the proxy reward, a composite or a delegate).");
        return new SpeculativeRejectionSearch(Options, context, batch, reward, cancellationToken).Run();
    }
}
