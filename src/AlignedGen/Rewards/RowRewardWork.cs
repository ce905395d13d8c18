namespace AlignedGen.Rewards;

/// <summary>
/// Per-row reward work of a candidate scorer, keyed by the row object (the same <see cref="PartialResponse"/> from call
/// to call): what <see cref="ICandidateScorer.WorkOf"/> answers.
/// </summary>
internal sealed class RowRewardWork
{
    private readonly Dictionary<PartialResponse, RewardWork> _rows = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds one call and <paramref name="tokens"/> positions to <paramref name="row"/>'s account.</summary>
    public void Add(PartialResponse row, long tokens)
    {
        if (!_rows.TryGetValue(row, out var work)) _rows[row] = work = new RewardWork();
        work.Calls++;
        work.Tokens += tokens;
    }

    /// <summary>The row's account (empty when it took part in no call).</summary>
    public RewardWork Of(PartialResponse row) => _rows.GetValueOrDefault(row) ?? new RewardWork();
}
