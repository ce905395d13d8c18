using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// CARDS scoring through any reward source: every candidate's whole sequence, one batched call per decision round.
/// Queries carry the LM's token ids, so a reward model sharing the LM's tokenizer reads them without re-tokenising.
/// </summary>
internal sealed class TextCardsRewards : CardsRewards
{
    private readonly IRewardSource _source;
    private readonly DecodingContext _context;

    public TextCardsRewards(IRewardSource source, DecodingContext context)
    {
        _source = source;
        _context = context;
    }

    public override float[] ScorePrompts(IReadOnlyList<SequenceRow> rows, CancellationToken cancellationToken)
    {
        StartAccounts(rows.Count);
        return Score(rows.Select(r => (r, (IReadOnlyList<int>)Array.Empty<int>())).ToArray(), cancellationToken);
    }

    public override float[] Score(IReadOnlyList<(SequenceRow Row, IReadOnlyList<int> Response)> candidates, CancellationToken cancellationToken)
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
        Account(candidates.Select(c => c.Row.RequestIndex).ToArray(), candidates.Select(c => (long)c.Row.PromptTokens.Count + c.Response.Count).ToArray());
        return scores;
    }

    public override void Settle(int row, int keep, float reward)
    {
    }
}
