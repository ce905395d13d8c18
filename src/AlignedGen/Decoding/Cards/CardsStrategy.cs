using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// CARDS — cascade reward sampling (Li et al., arXiv 2406.16306). The response grows segment by segment; a segment
/// ends before a token the LM is uncertain about (next-token entropy ≥ τH, after at least a few tokens) or at a maximum
/// length; each candidate segment is scored by the reward source on prompt + accepted text + segment and accepted by
/// rejection sampling against a threshold that rises from r0 to r* as the response grows; a rejected segment is rolled
/// back to the segment start and redrawn, and after the retry cap the best candidate seen is taken. All prompts decode
/// as one batch whose KV caches keep the accepted segments. Unlike the authors' code, rows stop at EOS, stop strings and
/// the length limit, and nothing is recomputed for accepted segments (see docs/cards.md).
/// </summary>
public sealed class CardsStrategy : IDecodingStrategy
{
    public CardsStrategy(CardsOptions? options = null) => Options = options ?? CardsOptions.Default;

    /// <summary>The CARDS settings.</summary>
    public CardsOptions Options { get; }

    public string Name => "cards";

    /// <summary>Peak cache: one LM row per prompt (a rejected segment is cut off in place) and, on a cached reward model, one reward state per prompt.</summary>
    public long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) =>
        model.CacheBytes(prompts, tokens) + ((reward as ICandidateScoringSource)?.CandidateCacheBytes(prompts, 1, tokens) ?? 0);

    /// <inheritdoc />
    public bool NeedsReward => true;

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        var reward = context.Reward ?? throw new InvalidOperationException("CARDS needs a reward source to test its segments: pass one to the TextGenerator (a reward model, the proxy reward, a composite or a delegate).");
        return new CardsSearch(Options, context, batch, reward, cancellationToken).Run();
    }
}
