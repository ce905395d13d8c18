using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Mean, standard error and count against hand-computed values.</summary>
public class MetricAggregatorTests
{
    [Fact]
    public void Nulls_are_ignored_and_the_standard_error_is_sample_sd_over_root_n()
    {
        // 1, 2, 3, 6: mean 3; squared deviations 4 + 1 + 0 + 9 = 14; sd = √(14/3); SE = sd / 2.
        var s = MetricAggregator.Summarize(new double?[] { 1, null, 2, 3, null, 6 });
        Assert.Equal(4, s.Count);
        Assert.Equal(3, s.Mean, 12);
        Assert.Equal(Math.Sqrt(14.0 / 3) / 2, s.StandardError, 12);
    }

    [Fact]
    public void No_values_give_the_empty_summary_and_one_value_has_no_spread()
    {
        Assert.Equal(MetricSummary.Empty, MetricAggregator.Summarize(new double?[] { null, null }));
        Assert.Equal(MetricSummary.Empty, MetricAggregator.Summarize(Array.Empty<double>()));
        var one = MetricAggregator.Summarize(new double[] { 2.5 });
        Assert.Equal(2.5, one.Mean);
        Assert.Equal(1, one.Count);
        Assert.True(double.IsNaN(one.StandardError));
        Assert.Equal(0, MetricAggregator.Summarize(new double[] { 4, 4, 4 }).StandardError);
    }
}
