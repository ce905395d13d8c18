using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// Scores CARDS's candidates — prompt ⊕ accepted response ⊕ candidate segment — through any reward source, one call per
/// decision round for every prompt whose segment closed. Queries carry the LM's token ids, so a reward model that shares
/// the LM's tokenizer scores them without re-tokenising; any other re-tokenises the text.
/// </summary>
internal sealed class CardsRewards
{
    private readonly IRewardSource _source;
    private readonly DecodingContext _context;

    public CardsRewards(IRewardSource source, DecodingContext context)
    {
        _source = source;
        _context = context;
    }

    /// <summary>Reward work done so far.</summary>
    public RewardWork Work { get; } = new();

    /// <summary>The reward of each row's prompt with an empty response (CARDS's reward(prompt)).</summary>
    public float[] ScorePrompts(IReadOnlyList<SequenceRow> rows, CancellationToken cancellationToken)
        => Score(rows.Select(r => (r, (IReadOnlyList<int>)Array.Empty<int>())).ToArray(), cancellationToken);

    /// <summary>The reward of each candidate: its row's prompt followed by <c>Response</c> (accepted tokens and segment).</summary>
    public float[] Score(IReadOnlyList<(SequenceRow Row, IReadOnlyList<int> Response)> candidates, CancellationToken cancellationToken)
    {
        var queries = new RewardQuery[candidates.Count];
        for (int i = 0; i < queries.Length; i++)
        {
            var (row, response) = candidates[i];
            var request = _context.Requests[row.RequestIndex];
            queries[i] = new RewardQuery(request.Prompt, _context.ResponseText(response), request.Reference)
            {
                PromptTokenIds = row.PromptTokens,
                ResponseTokenIds = response,
                TokenIdsTokenizer = _context.Model.Tokenizer,
            };
        }
        var scores = RewardChecks.ScoreChecked(_source, queries, cancellationToken);
        Work.Calls++;
        Work.Tokens += candidates.Sum(c => (long)c.Row.PromptTokens.Count + c.Response.Count);
        return scores;
    }
}
