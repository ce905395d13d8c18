using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN — reward-guided tree search (Hung, Majumder, Mehrish, Poria, 2024). Seed: one sampled response to the
/// original instruction, scored; the archive maps instructions to rewards. Each iteration picks a parent instruction from
/// the archive at random; the model rewrites it into M variants (mutation), one beam per variant; every m tokens all
/// running beams are scored against the original instruction, the top states are kept and every other running beam
/// takes a kept state's response while keeping its own instruction (replacement); the most-selected beams'
/// instructions join the archive when they beat the parent. Returns the best response over the seed and all
/// iterations, with a <see cref="DarwinTrace"/>. Unlike the reference code, beams keep their KV caches across segments
/// and the reward model scores only new tokens when it can (see docs/darwin.md).
/// </summary>
public sealed class DarwinStrategy : IDecodingStrategy
{
    public DarwinStrategy(DarwinOptions? options = null) => Options = options ?? DarwinOptions.Default;

    /// <summary>The DARWIN settings.</summary>
    public DarwinOptions Options { get; }

    public string Name => "darwin";

    /// <summary>One LM row per beam (and a cached reward model's row per beam when it keeps one); instructions make rows somewhat longer than this counts.</summary>
    public long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) =>
        model.CacheBytes(prompts * Options.Beams, tokens) + ((reward as ICandidateScoringSource)?.CandidateCacheBytes(prompts * Options.Beams, 1, tokens) ?? 0);

    /// <summary>DARWIN scores its beams with the reward.</summary>
    public bool NeedsReward => true;

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        var reward = context.Reward!; // TextGenerator checked NeedsReward
        return new DarwinSearch(Options, context, batch, reward, cancellationToken).Run();
    }
}
