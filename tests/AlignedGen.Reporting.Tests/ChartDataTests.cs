using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Reporting.Tests;

/// <summary>What each chart plots, read off the comparison before drawing.</summary>
public sealed class ChartDataTests
{
    private static readonly ComparisonResult Typical = SyntheticComparison.Create(prompts: 12);
    private static readonly PlottedReward HeldOut = PlottedReward.Choose(Typical, ReportReward.Auto)!;

    [Fact]
    public void Auto_plots_the_held_out_reward_when_measured_and_the_guiding_one_otherwise()
    {
        Assert.True(HeldOut.IsHeldOut);
        Assert.Equal("held-out reward (deberta-rm)", HeldOut.AxisLabel);
        var noHeldOut = SyntheticComparison.Create(prompts: 3, heldOut: false);
        var guiding = PlottedReward.Choose(noHeldOut, ReportReward.Auto)!;
        Assert.False(guiding.IsHeldOut);
        Assert.Equal("guiding reward (proxy)", guiding.AxisLabel);
        Assert.False(PlottedReward.Choose(Typical, ReportReward.Guiding)!.IsHeldOut);
    }

    [Fact]
    public void The_sweep_has_one_line_per_family_with_w_in_order_and_the_other_settings_as_references()
    {
        var shuffled = Typical with { Summaries = Typical.Summaries.Reverse().ToArray() };
        var data = RewardVersusWeightChart.Build(shuffled, HeldOut, out var note)!;
        Assert.Null(note);
        var line = Assert.Single(data.Lines);
        Assert.Equal("args-greedy", line.Family);
        Assert.Equal([0.5, 1.0, 1.5, 2.0], line.Points.Select(p => p.Weight));
        foreach (var point in line.Points)
        {
            var summary = Typical.Summaries.Single(s => s.Setting == point.Setting);
            Assert.Equal((summary.HeldOutReward.Mean, summary.HeldOutReward.StandardError), (point.Mean, point.StandardError));
        }
        Assert.Equal(["darwin", "best-of-16", "best-of-4", "sample T=0.7", "greedy"], data.References.Select(r => r.Setting));
        Assert.Equal(["greedy"], data.References.Where(r => r.IsBaseline).Select(r => r.Setting));
    }

    [Fact]
    public void Two_swept_families_give_two_lines()
    {
        var settings = SyntheticComparison.TypicalSettings
            .Concat(new[] { 0.5, 1.5 }.Select(w => new SyntheticSetting($"args-stochastic w={w}", "args-stochastic", w, 0.3, 0.9, 500, 600, 60, 600)))
            .ToArray();
        var data = RewardVersusWeightChart.Build(SyntheticComparison.Create(settings, prompts: 4), HeldOut, out _)!;
        Assert.Equal(["args-greedy", "args-stochastic"], data.Lines.Select(l => l.Family));
        Assert.Equal([0.5, 1.5], data.Lines[1].Points.Select(p => p.Weight));
    }

    [Fact]
    public void The_trade_off_uses_a_log_axis_only_for_wide_cost_ranges_and_leaves_out_unmeasured_costs()
    {
        var wide = RewardVersusCostChart.Build(Typical, HeldOut, ReportCostAxis.MillisecondsPerResponse, out var note)!;
        Assert.Null(note);
        Assert.True(wide.LogScale); // 45 to 2400 ms
        Assert.Equal(Typical.Summaries.Select(s => s.MillisecondsPerResponse), wide.Points.Select(p => p.Cost));

        var narrowSettings = SyntheticComparison.TypicalSettings.Where(s => s.W is not null).ToArray(); // 420 to 450 ms
        var narrowResult = SyntheticComparison.Create(narrowSettings, prompts: 4);
        narrowResult = narrowResult with { Summaries = narrowResult.Summaries.Select((s, i) => i == 0 ? s with { MillisecondsPerResponse = 0 } : s).ToArray() };
        var narrow = RewardVersusCostChart.Build(narrowResult, PlottedReward.Choose(narrowResult, ReportReward.Auto)!, ReportCostAxis.MillisecondsPerResponse, out note)!;
        Assert.False(narrow.LogScale);
        Assert.Equal(["args w=0.5"], narrow.Excluded);
        Assert.Contains("leaves out args w=0.5", note);

        var tokens = RewardVersusCostChart.Build(Typical, HeldOut, ReportCostAxis.ModelTokensPerResponse, out _)!;
        Assert.Equal(Typical.Summaries.Select(s => s.LmTokensPerResponse + s.RewardTokensPerResponse), tokens.Points.Select(p => p.Cost));
    }

    [Fact]
    public void Log_ticks_cover_the_range_at_1_2_5()
    {
        var ticks = RewardVersusCostChart.LogTickValues(45, 2400).Select(v => Math.Round(v)).ToArray();
        Assert.Equal([50, 100, 200, 500, 1000, 2000], ticks); // 22.5 to 4800 ms
    }

    [Fact]
    public void The_distribution_has_one_box_per_setting_from_its_responses()
    {
        var data = RewardDistributionChart.Build(Typical, HeldOut, out var note)!;
        Assert.Null(note);
        Assert.Equal(Typical.Summaries.Select(s => s.Setting), data.Boxes.Select(b => b.Setting));
        foreach (var box in data.Boxes)
        {
            var values = Typical.Responses.Where(r => r.Setting == box.Setting).Select(r => r.HeldOutReward!.Value).ToArray();
            Assert.Equal(values.Length, box.Statistics.Count);
            Assert.Equal(values.Average(), box.Statistics.Mean, 12);
            Assert.InRange(box.Statistics.Median, values.Min(), values.Max());
        }
    }

    [Fact]
    public void Box_statistics_follow_tukeys_rules()
    {
        var plain = BoxStatistics.Of([9, 1, 8, 2, 7, 3, 6, 4, 5]);
        Assert.Equal((3.0, 5.0, 7.0), (plain.Q1, plain.Median, plain.Q3)); // order statistics 3, 5, 7 of 1..9
        Assert.Equal((1.0, 9.0), (plain.WhiskerLow, plain.WhiskerHigh));
        Assert.Empty(plain.Outliers);

        var skewed = BoxStatistics.Of([1, 2, 3, 4, 100]); // Q1 2, Q3 4, fences -1 and 7
        Assert.Equal((1.0, 4.0), (skewed.WhiskerLow, skewed.WhiskerHigh));
        Assert.Equal([100.0], skewed.Outliers);
        Assert.Equal(22, skewed.Mean);
        Assert.Equal(2.5, BoxStatistics.Quantile([1, 2, 3, 4], 0.5)); // halfway between 2 and 3
    }

    [Fact]
    public void Win_tie_loss_rows_are_the_settings_with_a_record_against_the_baseline()
    {
        var rows = WinTieLossChart.Build(Typical, out var note)!;
        Assert.Null(note);
        Assert.Equal(Typical.Summaries.Skip(1).Select(s => s.Setting), rows.Select(r => r.Setting));
        Assert.All(rows, r => Assert.Equal(12, r.Outcome.Count));
    }

    [Fact]
    public void Labels_are_placed_apart_and_inside_the_data_area()
    {
        var area = new LabelPlacer.Box(0, 0, 400, 300);
        // Three labels at one point: every placement is different and none overlaps another.
        var crowded = LabelPlacer.Place([(200, 150, 60, 14), (200, 150, 60, 14), (200, 150, 60, 14)], [], area);
        for (var i = 0; i < crowded.Count; i++)
            for (var j = i + 1; j < crowded.Count; j++)
                Assert.Equal(0, crowded[i].Bounds.Overlap(crowded[j].Bounds));
        // A point at the right edge gets its label on its left.
        var edge = LabelPlacer.Place([(395, 150, 60, 14)], [], area).Single();
        Assert.False(edge.RightOfPoint);
        Assert.Equal(0, edge.Bounds.Outside(area));
        // An obstacle right above-right of the point pushes the label elsewhere.
        var blocked = LabelPlacer.Place([(100, 150, 60, 14)], [new LabelPlacer.Box(100, 120, 180, 150)], area).Single();
        Assert.False(blocked.RightOfPoint && blocked.AbovePoint);
    }
}
