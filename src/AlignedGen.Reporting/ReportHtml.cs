using System.Globalization;
using System.Text;
using AlignedGen.Evaluation;

namespace AlignedGen.Reporting;

/// <summary>Composes report.html: inline CSS, no scripts, well-formed (every element closed) so it also parses as XML.</summary>
internal static class ReportHtml
{
    private const string Style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;margin:1.5rem auto;max-width:1400px;padding:0 1rem;color:#222;line-height:1.45}
        h1{margin-bottom:.3rem}
        h2{margin-top:2rem;border-bottom:1px solid #ddd}
        dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0 1rem 0}
        dl.run dt{font-weight:bold}
        dl.run dd{margin:0}
        .table-wrap{overflow-x:auto}
        table.summary{border-collapse:collapse;font-size:.88rem}
        table.summary th,table.summary td{border:1px solid #d8d8d8;padding:.3rem .5rem;text-align:right;white-space:nowrap}
        table.summary thead th{background:#f2f2f2;text-align:center}
        table.summary th.setting{text-align:left}
        table.summary tr.baseline{background:#fff8dc}
        td.missing,.missing{color:#999}
        .tag{font-size:.75rem;font-weight:normal;color:#8a6d00}
        .notes{background:#f5f5ff;border-left:4px solid #8890c0;padding:.4rem 1rem}
        figure.chart{margin:1.5rem 0}
        figure.chart img{max-width:100%;height:auto;border:1px solid #eee}
        figcaption{font-size:.9rem;color:#555;max-width:60rem}
        .example{border-top:1px solid #ddd;padding:.6rem 0}
        .example h3{margin:.2rem 0;font-size:1rem}
        p.prompt{white-space:pre-wrap;background:#f2f2f2;padding:.5rem;border-radius:4px}
        .responses{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.6rem}
        .response{border:1px solid #ddd;border-radius:4px;padding:.5rem}
        .response h4{margin:0 0 .3rem 0;font-size:.9rem}
        .response p.text{white-space:pre-wrap;margin:0;font-size:.88rem}
        .response p.meta{color:#666;font-size:.8rem;margin:.4rem 0 0 0}
        footer{margin-top:2rem;font-size:.8rem;color:#777}
        """;

    /// <summary>The whole page.</summary>
    public static string Compose(ComparisonResult result, AlignmentReportOptions options, PlottedReward? reward,
        IReadOnlyList<ReportChart> charts, IReadOnlyList<string> notes)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\">");
        html.AppendLine("<head>");
        html.AppendLine("<meta charset=\"utf-8\" />");
        html.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />");
        html.AppendLine($"<meta name=\"generator\" content=\"AlignedGen.Reporting {ReportText.Escape(Version)}\" />");
        html.AppendLine($"<title>{ReportText.Escape(options.Title)}</title>");
        html.AppendLine($"<style>\n{Style}\n</style>");
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.AppendLine($"<h1>{ReportText.Escape(options.Title)}</h1>");
        AppendRun(html, result, reward);
        if (notes.Count > 0)
        {
            html.AppendLine("<ul class=\"notes\">");
            foreach (var note in notes) html.AppendLine($"<li>{ReportText.Escape(note)}</li>");
            html.AppendLine("</ul>");
        }
        AppendHowToRead(html, result, reward);
        html.AppendLine("<h2 id=\"summary\">Summary</h2>");
        SummaryTableHtml.Append(html, result);
        html.AppendLine("<h2 id=\"charts\">Charts</h2>");
        if (charts.Count == 0) html.AppendLine("<p class=\"note\">No chart could be drawn; the notes above say why.</p>");
        foreach (var chart in charts)
        {
            html.AppendLine($"<figure class=\"chart\" id=\"chart-{Slug(chart.Kind)}\">");
            html.AppendLine($"<img src=\"{ReportText.Escape(chart.RelativePath)}\" alt=\"{ReportText.Escape(chart.AltText)}\" width=\"{chart.Width}\" height=\"{chart.Height}\" />");
            html.AppendLine($"<figcaption>{ReportText.Escape(chart.Caption)}</figcaption>");
            html.AppendLine("</figure>");
        }
        ExamplesHtml.Append(html, result, options, reward);
        html.AppendLine($"<footer>Written by AlignedGen.Reporting {ReportText.Escape(Version)}; charts drawn with ScottPlot.</footer>");
        html.AppendLine("</body>");
        html.AppendLine("</html>");
        return html.ToString();
    }

    /// <summary>The id suffix of a chart's figure: "reward-versus-weight".</summary>
    public static string Slug(ReportChartKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Version =>
        typeof(ReportHtml).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    private static void AppendRun(StringBuilder html, ComparisonResult result, PlottedReward? reward)
    {
        var facts = new List<(string, string)>
        {
            ("Generator", result.Generator),
            ("Guiding reward", result.GuidingReward ?? "none"),
            ("Held-out reward", result.HeldOutReward ?? "none"),
        };
        if (result.Embedder is not null) facts.Add(("Embedder (coherence)", result.Embedder));
        facts.Add(("Baseline", result.Baseline));
        facts.Add(("Prompts", result.PromptCount.ToString(CultureInfo.InvariantCulture)));
        facts.Add(("Max new tokens", result.MaxNewTokens.ToString(CultureInfo.InvariantCulture)));
        facts.Add(("Seed", result.Seed.ToString(CultureInfo.InvariantCulture)));
        facts.Add(("Started", result.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        facts.Add(("Wall time", result.WallSeconds > 0 ? ReportText.Cost(result.WallSeconds) + " s" : ReportText.Missing));
        facts.Add(("Charts plot", reward?.AxisLabel ?? "no reward (none was measured)"));
        html.AppendLine("<dl class=\"run\">");
        foreach (var (name, value) in facts) html.AppendLine($"<dt>{ReportText.Escape(name)}</dt><dd>{ReportText.Escape(value)}</dd>");
        html.AppendLine("</dl>");
    }

    private static void AppendHowToRead(StringBuilder html, ComparisonResult result, PlottedReward? reward)
    {
        html.AppendLine("<h2 id=\"how-to-read\">How to read this</h2>");
        html.AppendLine($"<p>Every setting answered the same {result.PromptCount} prompts. The <b>guiding</b> reward is the one a "
            + "strategy optimised while decoding (ARGS, Best-of-N and DARWIN steer by it), so gains in it are partly guaranteed by "
            + "construction and can be reward hacking; the <b>held-out</b> reward comes from a judge the strategies never saw and is "
            + "the fairer measure of alignment. Compare settings by the held-out column first and treat differences smaller than "
            + "about two standard errors (SE) as noise. Win / tie / loss pairs each prompt with the baseline's response under the "
            + "held-out reward; a score above 0.5 beats the baseline more often than not. Diversity (higher is less repetitive) and "
            + "coherence (prompt–response embedding similarity) show whether reward was bought with degenerate text; fluency is the "
            + "generator's mean negative log-likelihood per token (lower is more fluent). <b>Flagged</b> counts the responses that "
            + "look reward-hacked against the baseline's: the guide likes them far more than the held-out judge does (reward gap above "
            + $"{ReportText.Escape(result.Overoptimization.RewardGapThreshold.ToString(CultureInfo.InvariantCulture))} baseline standard deviations) / their "
            + $"NLL exceeds the baseline's by more than {ReportText.Escape(result.Overoptimization.FluencyDriftThreshold.ToString(CultureInfo.InvariantCulture))} nats per token / either; "
            + "every response file carries the per-row check for filtering. Costs are per response. "
            + $"{ReportText.Missing} marks a value that was not measured.</p>");
        if (reward is { IsHeldOut: false })
            html.AppendLine("<p class=\"warning\"><b>Caution:</b> this comparison has no held-out reward, so the charts plot the guiding "
                + "reward, which the strategies optimised. Read them as how well each strategy optimised it, not as evidence of alignment.</p>");
    }
}
