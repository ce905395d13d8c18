using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

public sealed class DelegateRewardSourceTests
{
    private static readonly RewardQuery[] Queries = { new("a", "x"), new("bb", "yy"), new("ccc", "") };

    [Fact]
    public void Per_query_delegate_is_called_for_each_query_in_order()
    {
        var seen = new List<string>();
        var source = DelegateRewardSource.PerQuery("prompt-length", q => { seen.Add(q.Prompt); return q.Prompt.Length; });
        Assert.Equal(new float[] { 1, 2, 3 }, source.Score(Queries));
        Assert.Equal(new[] { "a", "bb", "ccc" }, seen);
        Assert.Equal("prompt-length", source.Name);
    }

    [Fact]
    public void Batched_delegate_is_called_once_with_all_queries()
    {
        var calls = 0;
        var source = DelegateRewardSource.Batched("batch", qs => { calls++; return qs.Select(q => (float)q.Response.Length).ToArray(); });
        Assert.Equal(new float[] { 1, 2, 0 }, source.Score(Queries));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Wrong_count_nan_and_infinity_are_reported_by_the_checked_call()
    {
        var wrongCount = DelegateRewardSource.Batched("short", qs => new float[qs.Count + 1]);
        var e1 = Assert.Throws<RewardSourceException>(() => RewardChecks.ScoreChecked(wrongCount, Queries));
        Assert.Equal(("short", (int?)null), (e1.SourceName, e1.Row));
        Assert.Contains("4 scores for 3 queries", e1.Message);

        var nan = DelegateRewardSource.PerQuery("nan", q => q.Prompt == "bb" ? float.NaN : 0);
        Assert.Equal(1, Assert.Throws<RewardSourceException>(() => RewardChecks.ScoreChecked(nan, Queries)).Row);
        var inf = DelegateRewardSource.PerQuery("inf", q => q.Prompt == "ccc" ? float.NegativeInfinity : 0);
        Assert.Equal(2, Assert.Throws<RewardSourceException>(() => RewardChecks.ScoreChecked(inf, Queries)).Row);
        var nullArray = DelegateRewardSource.Batched("null", _ => null!);
        Assert.Contains("no scores", Assert.Throws<RewardSourceException>(() => RewardChecks.ScoreChecked(nullArray, Queries)).Message);
    }

    [Fact]
    public void The_source_itself_returns_raw_scores_so_a_composite_of_delegates_checks_each_score_once()
    {
        // A delegate does not validate its own output: the caller does, once (RewardChecks.ScoreChecked).
        var nan = DelegateRewardSource.PerQuery("nan", q => q.Prompt == "bb" ? float.NaN : 0);
        Assert.True(float.IsNaN(nan.Score(Queries)[1]));
        var composite = new CompositeRewardSource(new[] { new RewardComponent(nan) });
        var e = Assert.Throws<RewardSourceException>(() => RewardChecks.ScoreChecked(composite, Queries));
        Assert.Equal(("nan", (int?)1), (e.SourceName, e.Row));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => DelegateRewardSource.PerQuery("x", null!));
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => DelegateRewardSource.PerQuery(" ", _ => 0)).ParamName);
        var source = DelegateRewardSource.PerQuery("x", _ => 0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => source.Score(Queries, cts.Token));
    }
}
