using AlignedGen.Rewards;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// A deterministic reward for tests: by default the response length. Records every call; <see cref="BeforeCall"/> runs
/// before scoring call number n (0-based) and may throw or cancel.
/// </summary>
public sealed class FakeRewardSource : IRewardSource
{
    private readonly Func<RewardQuery, float> _score;

    public FakeRewardSource(string name = "length", Func<RewardQuery, float>? score = null)
    {
        Name = name;
        _score = score ?? (q => q.Response.Length);
    }

    public string Name { get; }

    /// <summary>Number of queries in each call, in order.</summary>
    public List<int> CallSizes { get; } = new();

    /// <summary>Every query scored, in order.</summary>
    public List<RewardQuery> Seen { get; } = new();

    public Action<int>? BeforeCall { get; set; }

    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        BeforeCall?.Invoke(CallSizes.Count);
        CallSizes.Add(queries.Count);
        Seen.AddRange(queries);
        return queries.Select(_score).ToArray();
    }
}
