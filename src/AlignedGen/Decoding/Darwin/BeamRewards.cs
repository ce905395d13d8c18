using AlignedGen.Rewards;
using AlignedGen.Tokenization;

namespace AlignedGen.Decoding;

/// <summary>
/// Scores DARWIN's responses against the ORIGINAL instruction, one batched call per replacement point (and Speculative
/// Rejection's samples at its decision points). A cached reward
/// model that shares the LM's tokenizer keeps one cache row per running beam and is fed only each segment's new tokens
/// (<see cref="CachedBeamRewards"/>); any other source scores full texts (<see cref="TextBeamRewards"/>).
/// </summary>
internal abstract class BeamRewards : IDisposable
{
    protected BeamRewards(IRewardSource source, DecodingContext context, IReadOnlyList<SequenceRow> originals, RewardWork? work, RewardWork[]? byRequest)
    {
        Work = work ?? new RewardWork();
        ByRequest = byRequest ?? Enumerable.Range(0, originals.Count).Select(_ => new RewardWork()).ToArray();
        Source = source;
        Context = context;
        Originals = originals;
    }

    /// <summary>The reward source.</summary>
    public IRewardSource Source { get; }

    /// <summary>Reward work done so far.</summary>
    public RewardWork Work { get; }

    /// <summary>
    /// Each request's own reward work: the calls its beams took part in and the positions (or query tokens) evaluated for
    /// them, padding excluded, so a request costs the same whatever shares its batch. Indexed by request.
    /// </summary>
    public RewardWork[] ByRequest { get; }

    /// <summary>Records one reward call: <paramref name="tokens"/>[i] positions were evaluated for a row of request <paramref name="requests"/>[i].</summary>
    protected void Account(IReadOnlyList<int> requests, IReadOnlyList<long> tokens)
    {
        foreach (int r in requests.Distinct()) ByRequest[r].Calls++;
        for (int i = 0; i < requests.Count; i++) ByRequest[requests[i]].Tokens += tokens[i];
    }

    /// <summary>A note for the trace (e.g. a fallback to text scoring), or null.</summary>
    public string? Note { get; protected set; }

    protected DecodingContext Context { get; }

    /// <summary>The request rows (original instruction ids), indexed by request.</summary>
    protected IReadOnlyList<SequenceRow> Originals { get; }

    /// <summary>The fast path when the source is a cached reward model over the LM's vocabulary, else text scoring.</summary>
    public static BeamRewards Create(IRewardSource source, DecodingContext context, IReadOnlyList<SequenceRow> originals)
        => source is CachedDecoderRewardModel rm && rm.Tokenizer is not null && TokenizerComparer.SameVocabulary(context.Model.Tokenizer, rm.Tokenizer)
            ? new CachedBeamRewards(rm, context, originals)
            : new TextBeamRewards(source, context, originals);

    /// <summary>Scores complete responses (the seeds), one per row, in one call.</summary>
    public abstract float[] ScoreResponses(IReadOnlyList<SequenceRow> responses, CancellationToken cancellationToken);

    /// <summary>Starts an iteration's beams (fresh rows, nothing generated yet).</summary>
    public abstract void Begin(SequenceBatch beams);

    /// <summary>Writes <c>rewards[b]</c> for every beam b in <paramref name="beams"/> (those that ran this segment), in one call.</summary>
    public abstract void Score(SequenceBatch beams, IReadOnlyList<int> which, float[] rewards, CancellationToken cancellationToken);

    /// <summary>Follows <see cref="SequenceBatch.AdoptResponses"/> (called after it, with the batch as it is now).</summary>
    public abstract void Adopt(SequenceBatch beams, IReadOnlyList<(int Target, int Source)> replacements);

    /// <summary>Follows <see cref="SequenceBatch.Fork"/>: new beam i is old beam <c>sourceBeams[i]</c>; beams not listed leave.</summary>
    public abstract void Keep(IReadOnlyList<int> sourceBeams);

    /// <summary>The reward query of a response row: the original instruction (text and ids) and the row's response.</summary>
    protected RewardQuery QueryFor(SequenceRow row)
    {
        var request = Context.Requests[row.RequestIndex];
        return new RewardQuery(request.Prompt, Context.ResponseText(row), request.Reference)
        {
            PromptTokenIds = Originals[row.RequestIndex].PromptTokens,
            ResponseTokenIds = row.GeneratedTokens.ToArray(),
        };
    }

    public virtual void Dispose()
    {
    }
}
