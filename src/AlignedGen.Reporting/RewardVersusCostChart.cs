using AlignedGen.Evaluation;
using ScottPlot;

namespace AlignedGen.Reporting;

/// <summary>Chart (b), the trade-off: plotted reward (± SE) against cost per response, one labelled point per setting; log x axis when costs span a factor of 10 or more.</summary>
internal static class RewardVersusCostChart
{
    /// <summary>Costs spanning at least this factor are drawn on a log axis.</summary>
    public const double LogScaleRatio = 10;

    public sealed record Point(string Setting, double Cost, double Mean, double StandardError);
    public sealed record Data(IReadOnlyList<Point> Points, bool LogScale, string CostLabel, IReadOnlyList<string> Excluded);

    /// <summary>The cost of one response on <paramref name="axis"/>.</summary>
    public static double CostOf(StrategySummary summary, ReportCostAxis axis) => axis switch
    {
        ReportCostAxis.ModelTokensPerResponse => summary.LmTokensPerResponse + summary.RewardTokensPerResponse,
        _ => summary.MillisecondsPerResponse,
    };

    /// <summary>The axis title of <paramref name="axis"/>.</summary>
    public static string CostLabel(ReportCostAxis axis) => axis switch
    {
        ReportCostAxis.ModelTokensPerResponse => "LM + reward-model tokens per response",
        _ => "wall milliseconds per response",
    };

    /// <summary>One point per setting with a positive cost and a finite reward; null (with why) when there is none.</summary>
    public static Data? Build(ComparisonResult result, PlottedReward reward, ReportCostAxis axis, out string? omittedBecause)
    {
        var points = new List<Point>();
        var excluded = new List<string>();
        foreach (var summary in result.Summaries)
        {
            var cost = CostOf(summary, axis);
            if (double.IsFinite(cost) && cost > 0 && ReportText.HasMean(reward.Of(summary)))
                points.Add(new Point(summary.Setting, cost, reward.Of(summary).Mean, ReportText.ErrorOrZero(reward.Of(summary))));
            else
                excluded.Add(summary.Setting);
        }
        if (points.Count == 0)
        {
            omittedBecause = $"The {reward.Kind} reward against cost chart is omitted: no setting has both a {reward.Kind} reward and a positive {CostLabel(axis)}.";
            return null;
        }
        omittedBecause = excluded.Count == 0 ? null
            : $"The {reward.Kind} reward against cost chart leaves out {ReportText.List(excluded)}: no {reward.Kind} reward or no positive {CostLabel(axis)}.";
        var logScale = points.Max(p => p.Cost) / points.Min(p => p.Cost) >= LogScaleRatio;
        return new Data(points, logScale, CostLabel(axis), excluded);
    }

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    public static ReportChart Draw(Data data, PlottedReward reward, ChartCanvas canvas, string path, string relativePath)
    {
        var title = $"{ReportText.Capitalised(reward.Kind)} reward vs cost";
        var plot = canvas.NewPlot(title, data.CostLabel + (data.LogScale ? " (log scale)" : ""), reward.AxisLabel);
        double X(double cost) => data.LogScale ? Math.Log10(cost) : cost;
        foreach (var point in data.Points)
        {
            var color = canvas.ColorOf(point.Setting);
            var marker = plot.Add.ScatterPoints(new[] { X(point.Cost) }, new[] { point.Mean }, color);
            marker.MarkerSize = 10;
            var error = plot.Add.ErrorBar(new[] { X(point.Cost) }, new[] { point.Mean }, new[] { point.StandardError });
            error.Color = color;
            error.LineWidth = 1.5f;
        }
        if (data.LogScale) plot.Axes.Bottom.TickGenerator = LogTicks(data.Points.Min(p => p.Cost), data.Points.Max(p => p.Cost));
        plot.Axes.Margins(0.15, 0.12);
        if (!data.LogScale) plot.Axes.SetLimitsX(0, data.Points.Max(p => p.Cost) * 1.2); // a linear cost axis starts at no cost
        // Lay the labels out on the rendered axes, so that they avoid each other and the points.
        plot.RenderInMemory(canvas.Width, canvas.Height);
        plot.Axes.SetLimits(plot.Axes.GetLimits());
        var area = plot.LastRender.DataRect;
        var labels = data.Points.Select(p =>
        {
            var pixel = plot.GetPixel(new Coordinates(X(p.Cost), p.Mean));
            var (width, height) = canvas.MeasureLabel(p.Setting);
            return ((double)pixel.X, (double)pixel.Y, width, height);
        }).ToArray();
        var errorBars = data.Points.Select(p =>
        {
            Pixel high = plot.GetPixel(new Coordinates(X(p.Cost), p.Mean + p.StandardError)), low = plot.GetPixel(new Coordinates(X(p.Cost), p.Mean - p.StandardError));
            return new LabelPlacer.Box(high.X - 3, high.Y, high.X + 3, low.Y);
        });
        var placements = LabelPlacer.Place(labels, errorBars, new LabelPlacer.Box(area.Left, area.Top, area.Right, area.Bottom));
        for (var i = 0; i < data.Points.Count; i++)
            canvas.AddLabel(plot, data.Points[i].Setting, X(data.Points[i].Cost), data.Points[i].Mean, canvas.ColorOf(data.Points[i].Setting), placements[i]);
        var alt = $"Scatter chart of the {reward.Kind} reward against {data.CostLabel}"
            + (data.LogScale ? " on a log scale" : "") + $", one labelled point per setting: {ReportText.List(data.Points.Select(p => p.Setting))}.";
        var caption = $"Mean {reward.AxisLabel} (± 1 SE) against {data.CostLabel}"
            + (data.LogScale ? " (log scale)" : "") + ". Up and to the left is better: more reward for less compute.";
        return canvas.Save(plot, ReportChartKind.RewardVersusCost, path, relativePath, title, alt, caption);
    }

    /// <summary>The costs 1, 2 and 5 × 10^k from half <paramref name="min"/> to twice <paramref name="max"/>: the log axis's ticks.</summary>
    internal static IReadOnlyList<double> LogTickValues(double min, double max)
    {
        var values = new List<double>();
        for (var decade = (int)Math.Floor(Math.Log10(min)) - 1; decade <= (int)Math.Ceiling(Math.Log10(max)) + 1; decade++)
            values.AddRange(new[] { 1, 2, 5 }.Select(m => m * Math.Pow(10, decade)).Where(v => v >= min / 2 && v <= max * 2));
        return values;
    }

    private static ScottPlot.TickGenerators.NumericManual LogTicks(double min, double max)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var value in LogTickValues(min, max)) ticks.AddMajor(Math.Log10(value), ReportText.Parameter(value));
        return ticks;
    }
}
