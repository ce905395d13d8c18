using System.Text;
using AlignedGen.Evaluation;

namespace AlignedGen.Reporting;

/// <summary>The summary table: one row per setting with the columns of the Markdown summary, "—" for what was not measured.</summary>
internal static class SummaryTableHtml
{
    private static readonly (string Header, string Title)[] Columns =
    [
        ("setting", "The setting's label"),
        ("n", "Responses summarised"),
        ("guiding ± SE", "Mean guiding reward (the one the strategy optimised) ± standard error"),
        ("held-out ± SE", "Mean held-out reward (never seen by the strategy) ± standard error"),
        ("win / tie / loss", "Prompts won, tied and lost against the baseline under the held-out reward"),
        ("score ± SE", "(wins + ties / 2) / n against the baseline ± paired standard error"),
        ("diversity", "ARGS diversity: product over n = 2..4 of (1 − repeated n-grams / n-grams), higher is less repetitive"),
        ("coherence", "Cosine similarity of prompt and response embeddings"),
        ("fluency (NLL)", "Mean negative log-likelihood per token under the generator, lower is more fluent"),
        ("length", "Mean response length in tokens"),
        ("flagged", "Responses the over-optimisation check flagged against the baseline's responses: held-out reward gap / fluency drift / either"),
        ("LM tokens/resp", "LM token positions per response"),
        ("RM calls/resp", "Reward-model calls per response"),
        ("ms/resp", "Wall milliseconds per response"),
    ];

    /// <summary>Appends the table (class "summary", rows with data-setting) to <paramref name="html"/>.</summary>
    public static void Append(StringBuilder html, ComparisonResult result)
    {
        html.AppendLine("<div class=\"table-wrap\"><table class=\"summary\">");
        html.Append("<thead><tr>");
        foreach (var (header, title) in Columns)
            html.Append($"<th scope=\"col\" title=\"{ReportText.Escape(title)}\">{ReportText.Escape(header)}</th>");
        html.AppendLine("</tr></thead>");
        html.AppendLine("<tbody>");
        foreach (var summary in result.Summaries) AppendRow(html, summary, summary.Setting == result.Baseline);
        html.AppendLine("</tbody></table></div>");
    }

    private static void AppendRow(StringBuilder html, StrategySummary s, bool isBaseline)
    {
        var label = ReportText.Escape(s.Setting);
        html.Append($"<tr data-setting=\"{label}\"{(isBaseline ? " class=\"baseline\"" : "")}>");
        html.Append($"<th scope=\"row\" class=\"setting\">{label}{(isBaseline ? " <span class=\"tag\">baseline</span>" : "")}</th>");
        Cell(html, s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Cell(html, ReportText.MeanWithError(s.GuidingReward));
        Cell(html, ReportText.MeanWithError(s.HeldOutReward));
        var versus = s.VersusBaseline;
        Cell(html, isBaseline ? "baseline" : versus is null ? ReportText.Missing : $"{versus.Wins} / {versus.Ties} / {versus.Losses}");
        Cell(html, versus is null ? ReportText.Missing : ReportText.MeanWithError(new MetricSummary(versus.Score, versus.StandardError, versus.Count)));
        Cell(html, ReportText.MeanWithError(s.Diversity));
        Cell(html, ReportText.MeanWithError(s.Coherence));
        Cell(html, ReportText.MeanWithError(s.Fluency));
        Cell(html, ReportText.HasMean(s.Length) ? ReportText.Cost(s.Length.Mean) : ReportText.Missing);
        var flags = s.Overoptimization;
        Cell(html, flags.Checked == 0 ? ReportText.Missing : $"{flags.RewardGap} / {flags.Fluency} / {flags.Flagged}");
        Cell(html, ReportText.Cost(s.LmTokensPerResponse));
        Cell(html, ReportText.Cost(s.RewardCallsPerResponse));
        Cell(html, ReportText.Cost(s.MillisecondsPerResponse));
        html.AppendLine("</tr>");
    }

    private static void Cell(StringBuilder html, string text) =>
        html.Append(text == ReportText.Missing ? $"<td class=\"missing\">{text}</td>" : $"<td>{ReportText.Escape(text)}</td>");
}
