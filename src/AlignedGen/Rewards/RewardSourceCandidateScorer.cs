using AlignedGen.Decoding;

namespace AlignedGen.Rewards;

/// <summary>
/// Candidate scoring for any <see cref="IRewardSource"/>: every candidate's full (prompt, response ⊕ candidate) is
/// built (ids and decoded text, so reward models with another tokenizer re-tokenize the text) and all rows × k
/// candidates go to the source in one batched call.
/// </summary>
public sealed class RewardSourceCandidateScorer : ICandidateScorer
{
    private readonly IRewardSource _source;
    private readonly DecodingContext _context;

    public RewardSourceCandidateScorer(IRewardSource source, DecodingContext context)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    public RewardWork Work { get; } = new();

    public void Score(IReadOnlyList<SequenceRow> rows, ReadOnlySpan<int> candidates, int k, Span<float> scores, CancellationToken cancellationToken)
    {
        var queries = new RewardQuery[rows.Count * k];
        var tokenizer = _context.Model.Tokenizer;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var request = _context.Requests[row.RequestIndex];
            for (int j = 0; j < k; j++)
            {
                var ids = new int[row.GeneratedTokens.Count + 1];
                for (int t = 0; t < row.GeneratedTokens.Count; t++) ids[t] = row.GeneratedTokens[t];
                ids[^1] = candidates[i * k + j];
                queries[i * k + j] = new RewardQuery(request.Prompt, tokenizer.Decode(ids, skipSpecialTokens: true), request.Reference)
                {
                    PromptTokenIds = row.PromptTokens,
                    ResponseTokenIds = ids,
                    TokenIdsTokenizer = tokenizer,
                };
            }
        }
        var result = RewardChecks.ScoreChecked(_source, queries, cancellationToken);
        Work.Calls++;
        Work.Tokens += queries.Sum(q => (long)(q.PromptTokenIds?.Count ?? 0) + (q.ResponseTokenIds?.Count ?? 0));
        result.AsSpan().CopyTo(scores);
    }

    public void Commit(IReadOnlyList<SequenceRow> rows, ReadOnlySpan<int> chosen)
    {
    }

    public void Dispose()
    {
    }
}
