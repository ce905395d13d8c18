using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// Candidate scoring for any <see cref="IRewardSource"/>: every candidate's full (prompt, response ⊕ candidate) is
/// built (ids and decoded text, so reward models with another tokenizer re-tokenize the text) and all rows × k
/// candidates go to the source in one batched call.
/// </summary>
public sealed class RewardSourceCandidateScorer : ICandidateScorer
{
    private readonly IRewardSource _source;
    private readonly ITextTokenizer _tokenizer;

    /// <summary>Scores through <paramref name="source"/>; <paramref name="lmTokenizer"/> decodes the rows' ids to response text.</summary>
    public RewardSourceCandidateScorer(IRewardSource source, ITextTokenizer lmTokenizer)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _tokenizer = lmTokenizer ?? throw new ArgumentNullException(nameof(lmTokenizer));
    }

    public RewardWork Work { get; } = new();

    private readonly RowRewardWork _rows = new();

    /// <inheritdoc />
    public RewardWork? WorkOf(PartialResponse row) => _rows.Of(row);

    public void Score(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> candidates, int k, Span<float> scores, CancellationToken cancellationToken)
    {
        var queries = new RewardQuery[rows.Count * k];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            for (int j = 0; j < k; j++)
            {
                var ids = new int[row.ResponseTokens.Count + 1];
                for (int t = 0; t < row.ResponseTokens.Count; t++) ids[t] = row.ResponseTokens[t];
                ids[^1] = candidates[i * k + j];
                queries[i * k + j] = new RewardQuery(row.Prompt, _tokenizer.Decode(ids, skipSpecialTokens: true), row.Reference)
                {
                    PromptTokenIds = row.PromptTokens,
                    ResponseTokenIds = ids,
                    TokenIdsTokenizer = _tokenizer,
                };
            }
        }
        var result = RewardChecks.ScoreChecked(_source, queries, cancellationToken);
        Work.Calls++;
        for (int i = 0; i < rows.Count; i++)
        {
            long tokens = 0;
            for (int j = 0; j < k; j++) tokens += (queries[i * k + j].PromptTokenIds?.Count ?? 0) + (queries[i * k + j].ResponseTokenIds?.Count ?? 0);
            _rows.Add(rows[i], tokens);
            Work.Tokens += tokens;
        }
        result.AsSpan().CopyTo(scores);
    }

    public void Commit(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> chosen)
    {
    }

    public void Dispose()
    {
    }
}
