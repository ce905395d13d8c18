using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// A decoding strategy: given a prefilled <see cref="SequenceBatch"/> (one row per prompt), it chooses tokens and
/// appends them until every row it cares about has finished, then says which row answers each prompt.
/// Strategies never touch ONNX Runtime types; they read logits, call reward sources and append tokens.
/// </summary>
public interface IDecodingStrategy
{
    /// <summary>A short name for results and reports ("greedy", "args-greedy", "best-of-4", ...).</summary>
    string Name { get; }

    /// <summary>
    /// True when the strategy cannot run without a reward source. The one place this is decided: the generator, the
    /// comparison job and every surface ask it before loading anything.
    /// </summary>
    bool NeedsReward { get; }

    /// <summary>
    /// True when every token the strategy appends to row i of the batch it is given is final (row i answers prompt i;
    /// rows are never forked, replaced or rewound): greedy, sampling, ARGS. Streaming
    /// (<see cref="TextGenerator.GenerateStreamingAsync"/>) then shows text as tokens are chosen. False (the default):
    /// the strategy decides at the end (Best-of-N, DARWIN, segment-level methods) and its answers stream when decided.
    /// </summary>
    bool StreamsTokens => false;

    /// <summary>Decodes the batch; returns one outcome per prompt (row i of the initial batch is prompt i).</summary>
    IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Peak bytes of model cache this strategy holds for <paramref name="prompts"/> prompts decoded together whose rows
    /// reach <paramref name="tokens"/> positions: the LM's cache for one row per prompt, unless the strategy keeps more
    /// (samples, beams, a reward model's candidate cache). <see cref="TextGenerator"/> sizes batches to the memory budget with it.
    /// </summary>
    long CacheBytes(ICausalLanguageModel model, IRewardSource? reward, int prompts, int tokens) => model.CacheBytes(prompts, tokens);
}
