using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// How a call's rows are grouped into padded model batches: every row once, at most maxRows per batch, and (sorted) the
/// cheapest grouping, checked against a brute force over every way of cutting the sorted rows.
/// </summary>
public sealed class LengthBatchPlanTests
{
    [Fact]
    public void Unsorted_plan_is_fixed_runs_in_query_order()
    {
        var plan = LengthBatchPlan.Create(new[] { 5, 1, 9, 2, 7 }, maxRows: 2, sortByLength: false, callOverheadTokens: 0);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, plan.Order);
        Assert.Equal(new[] { (0, 2), (2, 2), (4, 1) }, plan.Batches);
        Assert.Equal(24, plan.RealTokens);
        Assert.Equal(2 * 5 + 2 * 9 + 7, plan.PaddedTokens);
    }

    [Fact]
    public void Empty_call_has_no_batches()
    {
        Assert.Empty(LengthBatchPlan.Create(Array.Empty<int>(), 4, sortByLength: true, 32).Batches);
        Assert.Empty(LengthBatchPlan.Create(Array.Empty<int>(), 4, sortByLength: false, 32).Batches);
    }

    [Fact]
    public void Sorted_plan_keeps_query_order_among_equal_lengths()
    {
        var plan = LengthBatchPlan.Create(new[] { 3, 1, 3, 1, 3 }, maxRows: 8, sortByLength: true, callOverheadTokens: 100);
        Assert.Equal(new[] { 1, 3, 0, 2, 4 }, plan.Order);
        Assert.Equal(new[] { (0, 5) }, plan.Batches);
    }

    [Fact]
    public void Overhead_extremes_give_one_batch_per_length_or_the_fewest_batches()
    {
        var lengths = new[] { 4, 9, 4, 2, 9, 9, 4, 7 };
        var free = LengthBatchPlan.Create(lengths, maxRows: 8, sortByLength: true, callOverheadTokens: 0);
        Assert.Equal(4, free.Batches.Count); // lengths 2, 4, 7, 9: no padding at all
        Assert.Equal(free.RealTokens, free.PaddedTokens);
        var costly = LengthBatchPlan.Create(lengths, maxRows: 3, sortByLength: true, callOverheadTokens: int.MaxValue);
        Assert.Equal(3, costly.Batches.Count); // ceil(8 / 3)
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 0)]
    [InlineData(3, 5)]
    [InlineData(4, 16)]
    [InlineData(5, 64)]
    public void Sorted_plan_is_the_cheapest_grouping(int seed, int overhead)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(1, 11);
            var maxRows = random.Next(1, 6);
            var lengths = Enumerable.Range(0, n).Select(_ => random.Next(1, 40)).ToArray();
            var plan = LengthBatchPlan.Create(lengths, maxRows, sortByLength: true, overhead);

            Assert.Equal(Enumerable.Range(0, n), plan.Order.Order());
            for (var k = 1; k < n; k++) Assert.True(lengths[plan.Order[k - 1]] <= lengths[plan.Order[k]]);
            var next = 0;
            foreach (var (start, count) in plan.Batches)
            {
                Assert.Equal(next, start);
                Assert.InRange(count, 1, maxRows);
                next = start + count;
            }
            Assert.Equal(n, next);
            Assert.Equal(lengths.Sum(), plan.RealTokens);

            var cost = plan.PaddedTokens + (long)overhead * plan.Batches.Count;
            Assert.Equal(BruteForceCheapest(lengths.Order().ToArray(), maxRows, overhead), cost);
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthBatchPlan.Create(new[] { 1 }, 0, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthBatchPlan.Create(new[] { 1 }, 1, true, -1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RewardModelOptions { CallOverheadTokens = -1 });
        Assert.Equal("CallOverheadTokens", ex.ParamName);
        Assert.Equal("CallOverheadTokens", Assert.Throws<ArgumentOutOfRangeException>(() => new SentenceEmbedderOptions { CallOverheadTokens = -2 }).ParamName);
    }

    /// <summary>Every set of cut points between the sorted rows (2^(n-1) of them), batches longer than maxRows excluded.</summary>
    private static long BruteForceCheapest(int[] sorted, int maxRows, int overhead)
    {
        var n = sorted.Length;
        var best = long.MaxValue;
        for (var mask = 0; mask < 1 << (n - 1); mask++)
        {
            long cost = 0;
            var start = 0;
            var ok = true;
            for (var i = 1; i <= n && ok; i++)
            {
                if (i < n && (mask & (1 << (i - 1))) == 0) continue;
                if (i - start > maxRows) ok = false;
                cost += overhead + (long)(i - start) * sorted.Skip(start).Take(i - start).Max();
                start = i;
            }
            if (ok) best = Math.Min(best, cost);
        }
        return best;
    }
}
