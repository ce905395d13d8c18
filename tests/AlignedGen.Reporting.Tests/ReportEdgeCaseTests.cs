using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Reporting.Tests;

/// <summary>Reports of unusual comparisons: hostile text, missing metrics, no sweep, one setting, no reward at all.</summary>
public sealed class ReportEdgeCaseTests
{
    private const string Hostile = "<script>alert(\"x\")</script> & 'quoted' <b>bold</b>\u0001";

    [Fact]
    public void Text_from_the_result_is_escaped()
    {
        var settings = SyntheticComparison.TypicalSettings.Take(2)
            .Select((s, i) => i == 1 ? s with { Label = "<i>sample</i> & co" } : s).ToArray();
        var result = SyntheticComparison.Create(settings, prompts: 3, promptText: _ => "Prompt " + Hostile,
            responseText: (label, prompt) => $"{label} says {Hostile}") with { Generator = "gen <img src=x onerror=alert(1)>" };
        using var folder = new TempFolder();
        var report = new AlignmentReportWriter(new AlignmentReportOptions(title: "A & B <report>")).Write(result, folder.Path);

        var page = ReportPage.Load(report.HtmlPath); // parses only when well-formed
        Assert.Empty(page.All("script"));
        Assert.DoesNotContain(page.All("b"), b => b.Value == "bold");
        Assert.DoesNotContain("<script", page.Source);
        Assert.DoesNotContain("<img src=x", page.Source);
        Assert.DoesNotContain('\u0001', page.Source);
        Assert.Equal("A & B <report>", page.All("title").Single().Value);
        Assert.Equal("gen <img src=x onerror=alert(1)>", page.RunFacts["Generator"]);
        Assert.Equal(["greedy", "<i>sample</i> & co"], page.SummaryRows.Select(r => (string?)r.Attribute("data-setting")));
        var shown = page.WithClass("div", "response").Where(d => (string?)d.Attribute("data-setting") == "<i>sample</i> & co").First();
        Assert.Equal("<i>sample</i> & co says " + Hostile.Replace('\u0001', '\uFFFD'), shown.Elements("p").First().Value);
        Assert.Equal("Prompt " + Hostile.Replace('\u0001', '\uFFFD'), page.WithClass("p", "prompt").First().Value);
    }

    [Fact]
    public void Missing_metrics_show_as_a_dash_and_the_guiding_reward_is_plotted_with_a_caution()
    {
        var result = SyntheticComparison.Create(SyntheticComparison.TypicalSettings.Take(3).ToArray(), prompts: 8, heldOut: false);
        result = result with
        {
            Summaries = result.Summaries.Select((s, i) => i != 1 ? s : s with
            {
                Diversity = MetricSummary.Empty, Coherence = new MetricSummary(double.NaN, double.NaN, 4), Fluency = MetricSummary.Empty,
                Length = MetricSummary.Empty, MillisecondsPerResponse = double.NaN,
            }).ToArray(),
        };
        using var folder = new TempFolder();
        var report = new AlignmentReportWriter().Write(result, folder.Path);
        var page = ReportPage.Load(report.HtmlPath);

        var cells = ReportPage.Cells(page.SummaryRows[1]);
        Assert.Equal(["—", "—", "—", "—", "—", "—", "—"], new[] { cells[3], cells[4], cells[5], cells[6], cells[7], cells[8], cells[9] });
        Assert.Equal("—", cells[13]);
        Assert.Equal("—", cells[10]);   // no over-optimisation check ran
        Assert.Equal("—", ReportPage.Cells(page.SummaryRows[0])[3]); // no held-out reward anywhere
        Assert.Equal("none", page.RunFacts["Held-out reward"]);
        Assert.Equal("guiding reward (proxy)", page.RunFacts["Charts plot"]);
        Assert.Single(page.WithClass("p", "warning"));
        Assert.DoesNotContain(report.Charts, c => c.Kind is ReportChartKind.WinTieLoss or ReportChartKind.RewardVersusWeight);
        Assert.Contains(report.Notes, n => n.Contains("win/tie/loss chart is omitted"));
        Assert.Contains(report.Notes, n => n.Contains("leaves out sample T=0.7"));
        Assert.Equal(report.Notes, page.WithClass("ul", "notes").Single().Elements("li").Select(li => li.Value));
    }

    [Fact]
    public void Without_a_w_sweep_the_sweep_chart_is_omitted_with_a_note_and_an_old_one_removed()
    {
        using var folder = new TempFolder();
        var writer = new AlignmentReportWriter(new AlignmentReportOptions(chartWidth: 400, chartHeight: 300));
        var first = writer.Write(SyntheticComparison.Create(prompts: 6), folder.Path);
        var sweepPng = first.Charts.Single(c => c.Kind == ReportChartKind.RewardVersusWeight).Path;
        Assert.True(File.Exists(sweepPng));

        var noSweep = SyntheticComparison.TypicalSettings.Where(s => s.W is null).ToArray();
        var report = writer.Write(SyntheticComparison.Create(noSweep, prompts: 6), folder.Path);
        Assert.Equal([ReportChartKind.RewardVersusCost, ReportChartKind.RewardDistribution, ReportChartKind.WinTieLoss], report.Charts.Select(c => c.Kind));
        Assert.Contains(report.Notes, n => n.Contains("no setting has a \"w\" parameter"));
        Assert.False(File.Exists(sweepPng), "the earlier report's sweep chart is still there");
        Assert.Equal(3, ReportPage.Load(report.HtmlPath).All("img").Count());
    }

    [Fact]
    public void A_single_setting_gets_a_one_row_table_and_the_charts_that_make_sense()
    {
        using var folder = new TempFolder();
        var result = SyntheticComparison.Create(SyntheticComparison.TypicalSettings.Take(1).ToArray(), prompts: 1);
        var report = new AlignmentReportWriter(new AlignmentReportOptions(chartWidth: 400, chartHeight: 300)).Write(result, folder.Path);

        var page = ReportPage.Load(report.HtmlPath);
        Assert.Single(page.SummaryRows);
        Assert.Equal([ReportChartKind.RewardVersusCost, ReportChartKind.RewardDistribution], report.Charts.Select(c => c.Kind));
        Assert.Equal(2, report.Notes.Count);
        // One response: the SE is unknown, so the cell shows the mean alone.
        Assert.DoesNotContain("±", ReportPage.Cells(page.SummaryRows[0])[3]);
        Assert.Single(page.WithClass("div", "example"));
    }

    [Fact]
    public void Without_any_reward_the_report_has_the_table_and_says_why_there_are_no_charts()
    {
        var result = SyntheticComparison.Create(SyntheticComparison.TypicalSettings.Take(2).ToArray(), prompts: 4, heldOut: false);
        result = result with
        {
            GuidingReward = null,
            Summaries = result.Summaries.Select(s => s with { GuidingReward = MetricSummary.Empty }).ToArray(),
            Responses = result.Responses.Select(r => r with { GuidingReward = null }).ToArray(),
        };
        using var folder = new TempFolder();
        var report = new AlignmentReportWriter().Write(result, folder.Path);

        Assert.Empty(report.Charts);
        Assert.Contains(report.Notes, n => n.Contains("No reward was measured"));
        var page = ReportPage.Load(report.HtmlPath);
        Assert.Equal(2, page.SummaryRows.Count);
        Assert.Contains(page.All("p"), p => p.Value.Contains("No chart could be drawn"));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "charts")));
    }

    [Fact]
    public void Examples_follow_the_options_and_long_texts_are_cut()
    {
        var result = SyntheticComparison.Create(SyntheticComparison.TypicalSettings.Take(2).ToArray(), prompts: 6,
            responseText: (label, prompt) => prompt == 1 ? new string('x', 500) : $"{label} answers {prompt}");
        using var folder = new TempFolder();
        var report = new AlignmentReportWriter(new AlignmentReportOptions(examplePromptCount: 2, maxExampleCharacters: 40)).Write(result, folder.Path);
        var examples = ReportPage.Load(report.HtmlPath).WithClass("div", "example").ToArray();

        Assert.Equal(["p000", "p001"], examples.Select(e => (string?)e.Attribute("data-prompt-id")));
        var cut = examples[1].Descendants("p").First(p => (string?)p.Attribute("class") == "text").Value;
        Assert.Equal(40, cut.Length);
        Assert.EndsWith("…", cut);

        var none = new AlignmentReportWriter(new AlignmentReportOptions(examplePromptCount: 0)).Write(result, folder.Path);
        Assert.Empty(ReportPage.Load(none.HtmlPath).WithClass("div", "example"));
    }

    [Fact]
    public void The_cost_axis_can_be_model_tokens()
    {
        using var folder = new TempFolder();
        var report = new AlignmentReportWriter(new AlignmentReportOptions(costAxis: ReportCostAxis.ModelTokensPerResponse, chartWidth: 400, chartHeight: 300))
            .Write(SyntheticComparison.Create(prompts: 4), folder.Path);
        Assert.Contains("LM + reward-model tokens per response", report.Charts.Single(c => c.Kind == ReportChartKind.RewardVersusCost).Caption);
    }
}
