using AlignedGen.Rewards;
using AlignedGen.Tokenization;

namespace AlignedGen.Decoding;

/// <summary>
/// Scores CARDS's candidates — prompt ⊕ accepted response ⊕ candidate segment. A cached reward model that shares the
/// LM's tokenizer keeps each prompt's accepted prefix in its KV cache and is fed only each candidate's new tokens
/// (<see cref="CachedCardsRewards"/>); any other source scores whole sequences (<see cref="TextCardsRewards"/>).
/// </summary>
internal abstract class CardsRewards : IDisposable
{
    /// <summary>Reward work done so far.</summary>
    public RewardWork Work { get; } = new();

    private double[] _rowCalls = Array.Empty<double>();
    private long[] _rowTokens = Array.Empty<long>();

    /// <summary>Reward calls attributed to row <paramref name="row"/> (a call that scored several rows is shared evenly).</summary>
    public double CallsOf(int row) => _rowCalls[row];

    /// <summary>Reward token positions spent on row <paramref name="row"/>'s prompt and candidates.</summary>
    public long TokensOf(int row) => _rowTokens[row];

    /// <summary>Starts the per-row accounts.</summary>
    protected void StartAccounts(int rows)
    {
        _rowCalls = new double[rows];
        _rowTokens = new long[rows];
    }

    /// <summary>Records one reward call over <paramref name="rows"/> that evaluated <paramref name="tokens"/>[i] positions for each.</summary>
    protected void Account(IReadOnlyList<int> rows, IReadOnlyList<long> tokens)
    {
        Work.Calls++;
        for (int i = 0; i < rows.Count; i++)
        {
            _rowCalls[rows[i]] += 1.0 / rows.Count;
            _rowTokens[rows[i]] += tokens[i];
            Work.Tokens += tokens[i];
        }
    }

    /// <summary>A note for the trace (e.g. a fall-back to whole-sequence scoring), or null.</summary>
    public string? Note { get; protected set; }

    /// <summary>The cached path when the source is a cached reward model over the LM's vocabulary whose context holds every row, else whole sequences.</summary>
    public static CardsRewards Create(IRewardSource source, DecodingContext context, IReadOnlyList<SequenceRow> rows)
    {
        if (source is CachedDecoderRewardModel rm && rm.Tokenizer is not null && TokenizerComparer.SameVocabulary(context.Model.Tokenizer, rm.Tokenizer))
        {
            if (rows.All(r => r.PromptTokens.Count + r.MaxNewTokens <= rm.ContextLength)) return new CachedCardsRewards(rm, context);
            return new TextCardsRewards(source, context)
            {
                Note = $"Reward model '{rm.Name}' has a context of {rm.ContextLength} tokens, too short for prompt plus response; candidates were scored as whole sequences (the model sees their end).",
            };
        }
        return new TextCardsRewards(source, context);
    }

    /// <summary>The reward of each row's prompt with an empty response (CARDS's reward(prompt)); starts the rows' prefixes.</summary>
    public abstract float[] ScorePrompts(IReadOnlyList<SequenceRow> rows, CancellationToken cancellationToken);

    /// <summary>The reward of each candidate: its row's prompt followed by <c>Response</c> (accepted tokens, then the segment).</summary>
    public abstract float[] Score(IReadOnlyList<(SequenceRow Row, IReadOnlyList<int> Response)> candidates, CancellationToken cancellationToken);

    /// <summary>
    /// After a decision on row <paramref name="row"/>'s candidate (batch index): the first <paramref name="keep"/> tokens of
    /// that candidate's response stay (the accepted prefix), whose reward is <paramref name="reward"/>; the rest is dropped.
    /// </summary>
    public abstract void Settle(int row, int keep, float reward);

    public virtual void Dispose()
    {
    }
}
