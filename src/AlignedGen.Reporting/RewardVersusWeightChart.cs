using AlignedGen.Evaluation;
using ScottPlot;

namespace AlignedGen.Reporting;

/// <summary>Chart (a): plotted reward against the ARGS weight w, one line per family with a "w" parameter, SE error bars, and dashed reference levels for the settings without w.</summary>
internal static class RewardVersusWeightChart
{
    /// <summary>The parameter name the sweep is read from.</summary>
    public const string WeightParameter = "w";

    public sealed record Point(string Setting, double Weight, double Mean, double StandardError);
    public sealed record Line(string Family, IReadOnlyList<Point> Points);
    public sealed record Reference(string Setting, double Mean, double StandardError, bool IsBaseline);
    public sealed record Data(IReadOnlyList<Line> Lines, IReadOnlyList<Reference> References);

    /// <summary>The lines and references; null (with why) when no setting has a finite reward and a "w" parameter.</summary>
    public static Data? Build(ComparisonResult result, PlottedReward reward, out string? omittedBecause)
    {
        var lines = result.Summaries
            .Where(s => s.Parameters.ContainsKey(WeightParameter) && ReportText.HasMean(reward.Of(s)))
            .GroupBy(s => s.Family, StringComparer.Ordinal)
            .Select(g => new Line(g.Key, g
                .Select(s => new Point(s.Setting, s.Parameters[WeightParameter], reward.Of(s).Mean, ReportText.ErrorOrZero(reward.Of(s))))
                .OrderBy(p => p.Weight).ToArray()))
            .ToArray();
        if (lines.Length == 0)
        {
            omittedBecause = result.Summaries.Any(s => s.Parameters.ContainsKey(WeightParameter))
                ? $"The {reward.Kind} reward against w chart is omitted: no setting with a \"w\" parameter has a {reward.Kind} reward."
                : $"The {reward.Kind} reward against w chart is omitted: no setting has a \"w\" parameter (no ARGS sweep in this comparison).";
            return null;
        }
        var references = result.Summaries
            .Where(s => !s.Parameters.ContainsKey(WeightParameter) && ReportText.HasMean(reward.Of(s)))
            .Select(s => new Reference(s.Setting, reward.Of(s).Mean, ReportText.ErrorOrZero(reward.Of(s)), s.Setting == result.Baseline))
            .ToArray();
        omittedBecause = null;
        return new Data(lines, references);
    }

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    public static ReportChart Draw(Data data, PlottedReward reward, ChartCanvas canvas, string path, string relativePath)
    {
        var title = $"{ReportText.Capitalised(reward.Kind)} reward vs ARGS weight w";
        var plot = canvas.NewPlot(title, "ARGS weight w", reward.AxisLabel);
        foreach (var reference in data.References)
        {
            var color = canvas.ColorOf(reference.Setting);
            if (reference.IsBaseline && reference.StandardError > 0)
                plot.Add.VerticalSpan(reference.Mean - reference.StandardError, reference.Mean + reference.StandardError, color.WithAlpha(0.12));
            var level = plot.Add.HorizontalLine(reference.Mean, reference.IsBaseline ? 2 : 1.5f, color,
                reference.IsBaseline ? LinePattern.Dashed : LinePattern.Dotted);
            level.LegendText = reference.IsBaseline ? $"{reference.Setting} (baseline)" : reference.Setting;
        }
        foreach (var line in data.Lines)
        {
            var color = canvas.ColorOf(line.Points[0].Setting);
            double[] ws = line.Points.Select(p => p.Weight).ToArray(), means = line.Points.Select(p => p.Mean).ToArray();
            var scatter = plot.Add.Scatter(ws, means, color);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
            scatter.LegendText = line.Family;
            var errors = plot.Add.ErrorBar(ws, means, line.Points.Select(p => p.StandardError).ToArray());
            errors.Color = color;
            errors.LineWidth = 1.5f;
        }
        plot.ShowLegend(Edge.Right);
        var families = string.Join(", ", data.Lines.Select(l => $"{l.Family} (w = {string.Join(", ", l.Points.Select(p => ReportText.Parameter(p.Weight)))})"));
        var alt = $"Line chart of the {reward.Kind} reward against the ARGS weight w for {families}, with error bars of one standard error and horizontal reference lines for {ReportText.List(data.References.Select(r => r.Setting))}.";
        var caption = $"Mean {reward.AxisLabel} per response against w, one line per family, error bars ± 1 SE. "
            + "The dashed line is the baseline (shaded band ± 1 SE); dotted lines are the other settings without w.";
        return canvas.Save(plot, ReportChartKind.RewardVersusWeight, path, relativePath, title, alt, caption);
    }
}
