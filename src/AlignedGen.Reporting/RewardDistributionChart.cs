using AlignedGen.Evaluation;
using ScottPlot;

namespace AlignedGen.Reporting;

/// <summary>Chart (c): one box plot per setting of the plotted reward of its responses, with the mean as a diamond and outliers as dots.</summary>
internal static class RewardDistributionChart
{
    public sealed record Box(string Setting, BoxStatistics Statistics);
    public sealed record Data(IReadOnlyList<Box> Boxes, IReadOnlyList<string> Excluded);

    /// <summary>One box per setting (table order) that has responses with a finite reward; null (with why) when none has.</summary>
    public static Data? Build(ComparisonResult result, PlottedReward reward, out string? omittedBecause)
    {
        var valuesBySetting = result.Responses
            .Where(r => reward.Of(r) is { } value && double.IsFinite(value))
            .GroupBy(r => r.Setting, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => reward.Of(r)!.Value).ToArray(), StringComparer.Ordinal);
        var boxes = new List<Box>();
        var excluded = new List<string>();
        foreach (var summary in result.Summaries)
        {
            if (valuesBySetting.TryGetValue(summary.Setting, out var values)) boxes.Add(new Box(summary.Setting, BoxStatistics.Of(values)));
            else excluded.Add(summary.Setting);
        }
        if (boxes.Count == 0)
        {
            omittedBecause = $"The {reward.Kind} reward distribution chart is omitted: no response has a {reward.Kind} reward.";
            return null;
        }
        omittedBecause = excluded.Count == 0 ? null
            : $"The {reward.Kind} reward distribution chart leaves out {ReportText.List(excluded)}: no response of theirs has a {reward.Kind} reward.";
        return new Data(boxes, excluded);
    }

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    public static ReportChart Draw(Data data, PlottedReward reward, ChartCanvas canvas, string path, string relativePath)
    {
        var title = $"{ReportText.Capitalised(reward.Kind)} reward per response, by setting";
        var plot = canvas.NewPlot(title, "", reward.AxisLabel);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < data.Boxes.Count; i++)
        {
            var (setting, stats) = (data.Boxes[i].Setting, data.Boxes[i].Statistics);
            var color = canvas.ColorOf(setting);
            var box = plot.Add.Box(new ScottPlot.Box
            {
                Position = i, BoxMin = stats.Q1, BoxMax = stats.Q3, BoxMiddle = stats.Median,
                WhiskerMin = stats.WhiskerLow, WhiskerMax = stats.WhiskerHigh, Width = 0.6,
            });
            box.FillColor = color.WithAlpha(0.35);
            box.LineColor = color.Darken(0.3);
            plot.Add.Marker(i, stats.Mean, MarkerShape.FilledDiamond, 9, Colors.Black);
            if (stats.Outliers.Count > 0)
                plot.Add.Markers(Enumerable.Repeat((double)i, stats.Outliers.Count).ToArray(), stats.Outliers.ToArray(),
                    MarkerShape.OpenCircle, 6, color.Darken(0.3));
            ticks.AddMajor(i, setting);
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        var widest = data.Boxes.Max(b => canvas.MeasureLabel(b.Setting).Width);
        if (widest * data.Boxes.Count > 0.8 * (canvas.Width - 120))
        {
            // Labels too wide to sit side by side: slant them, ending at their tick.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = (float)(widest * 0.5 + 30);
        }
        plot.Axes.SetLimitsX(-0.6, data.Boxes.Count - 0.4);
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        var alt = $"Box plots of the {reward.Kind} reward per response for {ReportText.List(data.Boxes.Select(b => $"{b.Setting} (median {ReportText.Number(b.Statistics.Median)}, n = {b.Statistics.Count})"))}.";
        var caption = $"{ReportText.Capitalised(reward.AxisLabel)} of every response: box from the first to the third quartile, line at the median, "
            + "whiskers to the furthest response within 1.5 × IQR, circles beyond; the diamond is the mean.";
        return canvas.Save(plot, ReportChartKind.RewardDistribution, path, relativePath, title, alt, caption);
    }
}
