using System.Globalization;
using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Reporting.Tests;

/// <summary>What report.html holds for the typical comparison: run facts, the summary table, charts and examples.</summary>
public sealed class ReportHtmlTests(TypicalReport typical) : IClassFixture<TypicalReport>
{
    private static readonly string[] MarkdownColumns =
    [
        "setting", "n", "guiding ± SE", "held-out ± SE", "win / tie / loss", "score ± SE", "diversity", "coherence",
        "fluency (NLL)", "length", "flagged", "LM tokens/resp", "RM calls/resp", "ms/resp",
    ];

    [Fact]
    public void The_summary_table_has_one_row_per_setting_in_order_with_the_markdown_columns()
    {
        Assert.Equal(MarkdownColumns, typical.Page.SummaryHeaders);
        var rows = typical.Page.SummaryRows;
        Assert.Equal(typical.Result.Summaries.Select(s => s.Setting), rows.Select(r => (string?)r.Attribute("data-setting")));
        Assert.All(rows, row => Assert.Equal(MarkdownColumns.Length, ReportPage.Cells(row).Count));
        Assert.Equal("baseline", (string?)rows[0].Attribute("class"));
        Assert.All(rows.Skip(1), row => Assert.Null(row.Attribute("class")));
    }

    [Fact]
    public void The_summary_cells_show_the_summaries_numbers()
    {
        foreach (var (row, summary) in typical.Page.SummaryRows.Zip(typical.Result.Summaries))
        {
            var cells = ReportPage.Cells(row);
            Assert.Equal(summary.Count.ToString(CultureInfo.InvariantCulture), cells[1]);
            AssertMeanAndError(summary.GuidingReward, cells[2]);
            AssertMeanAndError(summary.HeldOutReward, cells[3]);
            AssertMeanAndError(summary.Diversity, cells[6]);
            AssertMeanAndError(summary.Fluency, cells[8]);
            Assert.Equal(summary.MillisecondsPerResponse, double.Parse(cells[13], NumberStyles.Any, CultureInfo.InvariantCulture), 0.5);
            if (summary.VersusBaseline is { } versus)
            {
                Assert.Equal($"{versus.Wins} / {versus.Ties} / {versus.Losses}", cells[4]);
                AssertMeanAndError(new MetricSummary(versus.Score, versus.StandardError, versus.Count), cells[5]);
            }
            else Assert.Equal("baseline", cells[4]);
        }
    }

    [Fact]
    public void The_flagged_cell_counts_each_over_optimisation_check_and_the_guide_explains_the_thresholds()
    {
        var result = typical.Result with
        {
            Summaries = typical.Result.Summaries.Select((s, i) => s with { Overoptimization = new OveroptimizationCount(30, i, 2 * i, 2 * i + 1) }).ToArray(),
            Overoptimization = new OveroptimizationOptions(rewardGapThreshold: 1.75, fluencyDriftThreshold: 0.4),
        };
        using var folder = new TempFolder();
        var page = ReportPage.Load(new AlignmentReportWriter().Write(result, folder.Path).HtmlPath);
        for (int i = 0; i < result.Summaries.Count; i++)
            Assert.Equal($"{i} / {2 * i} / {2 * i + 1}", ReportPage.Cells(page.SummaryRows[i])[10]);
        var guide = File.ReadAllText(Path.Combine(folder.Path, "report.html"));
        Assert.Contains("above 1.75 baseline standard deviations", guide);
        Assert.Contains("more than 0.4 nats per token", guide);
    }

    [Fact]
    public void The_header_names_the_run()
    {
        var facts = typical.Page.RunFacts;
        Assert.Equal("tiny-gpt2 (synthetic)", facts["Generator"]);
        Assert.Equal("proxy", facts["Guiding reward"]);
        Assert.Equal("deberta-rm", facts["Held-out reward"]);
        Assert.Equal("greedy", facts["Baseline"]);
        Assert.Equal("30", facts["Prompts"]);
        Assert.Equal("64", facts["Max new tokens"]);
        Assert.Equal("7", facts["Seed"]);
        Assert.Equal("2026-03-14 09:26:53 UTC", facts["Started"]);
        Assert.Equal("held-out reward (deberta-rm)", facts["Charts plot"]);
        Assert.Equal("Alignment report", typical.Page.All("title").Single().Value);
    }

    [Fact]
    public void Every_chart_is_an_image_with_alt_text_and_a_caption_next_to_the_page()
    {
        Assert.Equal(
            [ReportChartKind.RewardVersusWeight, ReportChartKind.RewardVersusCost, ReportChartKind.RewardDistribution, ReportChartKind.WinTieLoss],
            typical.Report.Charts.Select(c => c.Kind));
        Assert.Empty(typical.Report.Notes);
        var figures = typical.Page.WithClass("figure", "chart").ToArray();
        Assert.Equal(typical.Report.Charts.Count, figures.Length);
        var folder = Path.GetDirectoryName(typical.Report.HtmlPath)!;
        foreach (var (figure, chart) in figures.Zip(typical.Report.Charts))
        {
            var image = figure.Element("img")!;
            Assert.Equal(chart.RelativePath, (string?)image.Attribute("src"));
            Assert.True(File.Exists(Path.Combine(folder, chart.RelativePath)), chart.RelativePath);
            Assert.Equal(Path.Combine(folder, chart.RelativePath), chart.Path);
            Assert.Equal(chart.AltText, (string?)image.Attribute("alt"));
            Assert.Contains(chart.Kind == ReportChartKind.WinTieLoss ? "greedy" : "held-out reward", chart.AltText);
            Assert.False(string.IsNullOrWhiteSpace(figure.Element("figcaption")?.Value));
        }
        Assert.Equal(typical.Report.Files, [typical.Report.HtmlPath, .. typical.Report.Charts.Select(c => c.Path)]);
    }

    [Fact]
    public void The_page_is_self_contained_with_a_how_to_read_paragraph()
    {
        Assert.Empty(typical.Page.All("script"));
        Assert.Empty(typical.Page.All("link"));
        Assert.DoesNotContain("http", string.Concat(typical.Page.All("img").Select(i => (string?)i.Attribute("src"))));
        Assert.Single(typical.Page.All("style"));
        var howTo = typical.Page.All("h2").Single(h => h.Value == "How to read this");
        Assert.Contains("held-out", howTo.ElementsAfterSelf().First().Value);
        Assert.Empty(typical.Page.WithClass("p", "warning"));
    }

    [Fact]
    public void Examples_show_every_settings_response_side_by_side_for_the_first_prompts()
    {
        var examples = typical.Page.WithClass("div", "example").ToArray();
        Assert.Equal(["p000", "p001", "p002", "p003", "p004"], examples.Select(e => (string?)e.Attribute("data-prompt-id")));
        foreach (var example in examples)
        {
            var promptId = (string)example.Attribute("data-prompt-id")!;
            var responses = example.Descendants("div").Where(d => (string?)d.Attribute("class") == "response").ToArray();
            Assert.Equal(typical.Result.Summaries.Select(s => s.Setting), responses.Select(r => (string?)r.Attribute("data-setting")));
            foreach (var response in responses)
            {
                var expected = typical.Result.Responses.Single(r => r.PromptId == promptId && r.Setting == (string)response.Attribute("data-setting")!);
                Assert.Equal(expected.Response, response.Elements("p").First().Value);
                Assert.Contains($"{expected.Length} tokens", response.Elements("p").Last().Value);
            }
        }
    }

    /// <summary>Parses "mean ± SE" and checks both against the summary to the precision shown (4 significant digits of the mean).</summary>
    private static void AssertMeanAndError(MetricSummary expected, string cell)
    {
        var parts = cell.Split(" ± ");
        Assert.Equal(2, parts.Length);
        double mean = double.Parse(parts[0], CultureInfo.InvariantCulture), error = double.Parse(parts[1], CultureInfo.InvariantCulture);
        var decimals = parts[0].Contains('.') ? parts[0].Length - parts[0].IndexOf('.') - 1 : 0;
        var tolerance = 0.5 * Math.Pow(10, -decimals) + 1e-12;
        Assert.InRange(mean, expected.Mean - tolerance, expected.Mean + tolerance);
        Assert.InRange(error, expected.StandardError - tolerance, expected.StandardError + tolerance);
        Assert.True(Math.Abs(mean) < 1e-9 || decimals >= 3 - (int)Math.Floor(Math.Log10(Math.Abs(mean))), $"'{cell}' shows fewer than 4 significant digits");
    }
}
