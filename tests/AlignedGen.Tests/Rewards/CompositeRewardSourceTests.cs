using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>Weighted sums, normalisations and statistics, on delegate sources whose scores are known by construction.</summary>
public sealed class CompositeRewardSourceTests
{
    private static readonly RewardQuery[] Queries =
    {
        new("p", "a"), new("p", "bb"), new("p", "ccc"), new("p", "dddd"),
    };

    // Response length 1..4 and 10 × length: simple sources with known statistics.
    private static readonly IRewardSource Length = DelegateRewardSource.PerQuery("length", q => q.Response.Length);
    private static readonly IRewardSource TenTimes = DelegateRewardSource.Batched("ten", qs => qs.Select(q => 10f * q.Response.Length).ToArray());

    [Fact]
    public void Weighted_sum_of_raw_scores()
    {
        var composite = new CompositeRewardSource(new[] { new RewardComponent(Length, 2.0), new RewardComponent(TenTimes, -0.5) });
        // 2·L − 0.5·10·L = −3·L
        Assert.Equal(new float[] { -3, -6, -9, -12 }, composite.Score(Queries));
        Assert.Equal("2*length + -0.5*ten", composite.Name);
    }

    [Fact]
    public void Affine_normalisation_scales_and_shifts_before_weighting()
    {
        var composite = new CompositeRewardSource(new[]
        {
            new RewardComponent(Length, 1.0, RewardNormalization.Affine(scale: 0.5, shift: 1)),
            new RewardComponent(TenTimes, 3.0, RewardNormalization.Affine(0.1)),
        }, name: "mix");
        // (0.5·L + 1) + 3·(0.1·10·L) = 3.5·L + 1
        Assert.Equal(new float[] { 4.5f, 8f, 11.5f, 15f }, composite.Score(Queries));
        Assert.Equal("mix", composite.Name);
    }

    [Fact]
    public void ZScore_with_given_statistics()
    {
        var composite = new CompositeRewardSource(new[] { new RewardComponent(Length, 2.0, RewardNormalization.ZScore(new RewardStatistics(mean: 2, standardDeviation: 0.5))) });
        // 2·(L − 2)/0.5 = 4·(L − 2)
        Assert.Equal(new float[] { -4, 0, 4, 8 }, composite.Score(Queries));
    }

    [Fact]
    public void Statistics_are_the_mean_and_population_std_of_the_sample()
    {
        var stats = RewardStatistics.Estimate(Length, Queries);
        Assert.Equal(2.5, stats.Mean, 12);
        Assert.Equal(Math.Sqrt(1.25), stats.StandardDeviation, 12); // deviations ±0.5, ±1.5 → mean square 1.25
        Assert.Equal(4, stats.Count);
    }

    [Fact]
    public void Fitted_z_scores_make_each_component_zero_mean_unit_std_on_the_sample()
    {
        var composite = new CompositeRewardSource(new[] { new RewardComponent(Length, 1.0), new RewardComponent(TenTimes, 1.0) });
        var stats = composite.EstimateStatistics(Queries);
        Assert.Equal(new[] { 2.5, 25.0 }, stats.Select(s => Math.Round(s.Mean, 9)));
        var fitted = composite.FitZScores(Queries);
        Assert.Equal(stats[1].StandardDeviation, fitted.Components[1].Normalization.Statistics!.StandardDeviation, 12);
        // Both components become the same z-score z(L) = (L − 2.5)/√1.25, so the sum is 2·z(L).
        var scores = fitted.Score(Queries);
        for (var i = 0; i < Queries.Length; i++)
            Assert.Equal(2 * (i + 1 - 2.5) / Math.Sqrt(1.25), scores[i], 5);
        Assert.Equal(0, scores.Average(), 5);
    }

    [Fact]
    public void Component_scores_are_available_raw()
    {
        var composite = new CompositeRewardSource(new[] { new RewardComponent(Length, 7.0), new RewardComponent(TenTimes) });
        var raw = composite.ScoreComponents(Queries);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, raw[0]);
        Assert.Equal(new float[] { 10, 20, 30, 40 }, raw[1]);
        Assert.Equal(composite.Score(Queries), composite.Combine(raw));
    }

    [Fact]
    public void A_failing_component_is_named_in_the_error()
    {
        var broken = DelegateRewardSource.Batched("broken", qs => new float[qs.Count - 1]);
        var composite = new CompositeRewardSource(new[] { new RewardComponent(Length), new RewardComponent(broken) });
        var e = Assert.Throws<RewardSourceException>(() => composite.Score(Queries));
        Assert.Equal("broken", e.SourceName);
        Assert.Null(e.Row);
    }

    [Fact]
    public void Invalid_construction_is_rejected_with_the_parameter_name()
    {
        Assert.Throws<ArgumentException>(() => new CompositeRewardSource(Array.Empty<RewardComponent>()));
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => new RewardComponent(Length, double.NaN)).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentOutOfRangeException>(() => new RewardComponent(Length) with { Weight = double.PositiveInfinity }).ParamName);
        Assert.Equal("standardDeviation", Assert.Throws<ArgumentOutOfRangeException>(() => new RewardStatistics(0, 0)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => RewardNormalization.Affine(double.NaN)).ParamName);
        var constant = DelegateRewardSource.PerQuery("constant", _ => 1f);
        var e = Assert.Throws<ArgumentException>(() => new CompositeRewardSource(new[] { new RewardComponent(constant) }).EstimateStatistics(Queries));
        Assert.Contains("constant", e.Message);
        Assert.Throws<ArgumentException>(() => new CompositeRewardSource(new[] { new RewardComponent(Length) }).WithZScores(Array.Empty<RewardStatistics>()));
    }
}
