using AlignedGen.Evaluation;
using ScottPlot;

namespace AlignedGen.Reporting;

/// <summary>Chart (d): one stacked horizontal bar per setting with the shares of prompts it won, tied and lost against the baseline under the held-out reward, and its score as a diamond.</summary>
internal static class WinTieLossChart
{
    private static readonly Color WinColor = Color.FromHex("#2ca02c"), TieColor = Color.FromHex("#b0b0b0"), LossColor = Color.FromHex("#d62728");

    public sealed record Row(string Setting, WinTieLoss Outcome);

    /// <summary>The settings (table order) with a non-empty win/tie/loss record; null (with why) when none has one.</summary>
    public static IReadOnlyList<Row>? Build(ComparisonResult result, out string? omittedBecause)
    {
        var rows = result.Summaries
            .Where(s => s.VersusBaseline is { Count: > 0 })
            .Select(s => new Row(s.Setting, s.VersusBaseline!))
            .ToArray();
        omittedBecause = rows.Length > 0 ? null
            : "The win/tie/loss chart is omitted: no setting has a win/tie/loss record against the baseline (it needs a held-out reward and at least two settings).";
        return rows.Length > 0 ? rows : null;
    }

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    public static ReportChart Draw(IReadOnlyList<Row> rows, string baseline, ChartCanvas canvas, string path, string relativePath)
    {
        var title = $"Win / tie / loss against {baseline} (held-out reward)";
        var plot = canvas.NewPlot(title, "share of prompts", "");
        var bars = new List<Bar>();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < rows.Count; i++)
        {
            var outcome = rows[i].Outcome;
            double n = outcome.Count, wins = outcome.Wins / n, ties = outcome.Ties / n;
            var position = rows.Count - 1 - i;
            bars.Add(Segment(position, 0, wins, WinColor));
            bars.Add(Segment(position, wins, wins + ties, TieColor));
            bars.Add(Segment(position, wins + ties, 1, LossColor));
            ticks.AddMajor(position, rows[i].Setting);
        }
        plot.Add.Bars(bars);
        for (var i = 0; i < rows.Count; i++)
            plot.Add.Marker(rows[i].Outcome.Score, rows.Count - 1 - i, MarkerShape.FilledDiamond, 10, Colors.Black);
        var even = plot.Add.VerticalLine(0.5, 1, Colors.Black, LinePattern.Dotted);
        even.LegendText = "even (score 0.5)";
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(0, 1, -0.6, rows.Count - 0.4);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "win", FillColor = WinColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "tie", FillColor = TieColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "loss", FillColor = LossColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "score", MarkerShape = MarkerShape.FilledDiamond, MarkerFillColor = Colors.Black, MarkerSize = 10 });
        plot.ShowLegend(Edge.Right);
        plot.HideGrid();
        var alt = $"Stacked bars of the share of prompts won, tied and lost against {baseline}: "
            + ReportText.List(rows.Select(r => $"{r.Setting} {r.Outcome.Wins}/{r.Outcome.Ties}/{r.Outcome.Losses}")) + ".";
        var caption = $"Per prompt, each setting's held-out reward against {baseline}'s: green won, grey tied (within the tie margin), red lost. "
            + "The diamond is the score (wins + ties / 2) / n; right of the dotted line beats the baseline.";
        return canvas.Save(plot, ReportChartKind.WinTieLoss, path, relativePath, title, alt, caption);
    }

    private static Bar Segment(double position, double from, double to, Color color) => new()
    {
        Position = position, ValueBase = from, Value = to, FillColor = color, Orientation = Orientation.Horizontal,
        Size = 0.7, LineWidth = 0,
    };
}
