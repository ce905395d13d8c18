using Xunit;

namespace AlignedGen.Reporting.Tests;

public sealed class AlignmentReportOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = AlignmentReportOptions.Default;
        Assert.Equal("Alignment report", options.Title);
        Assert.Equal(5, options.ExamplePromptCount);
        Assert.Equal((900, 520), (options.ChartWidth, options.ChartHeight));
        Assert.Equal(ReportReward.Auto, options.Reward);
        Assert.Equal(ReportCostAxis.MillisecondsPerResponse, options.CostAxis);
        Assert.Null(options.FontFamily);
    }

    public static TheoryData<Func<AlignmentReportOptions>, string, string> BadOptions => new()
    {
        { () => new AlignmentReportOptions(title: " "), "title", "must not be empty" },
        { () => new AlignmentReportOptions(examplePromptCount: -1), "examplePromptCount", "-1" },
        { () => new AlignmentReportOptions(examplePromptCount: 101), "examplePromptCount", "101" },
        { () => new AlignmentReportOptions(chartWidth: 299), "chartWidth", "299" },
        { () => new AlignmentReportOptions(chartHeight: 4001), "chartHeight", "4001" },
        { () => new AlignmentReportOptions(reward: (ReportReward)9), "reward", "9" },
        { () => new AlignmentReportOptions(costAxis: (ReportCostAxis)9), "costAxis", "9" },
        { () => new AlignmentReportOptions(maxExampleCharacters: 5), "maxExampleCharacters", "5" },
        { () => new AlignmentReportOptions(fontFamily: "No Such Font 1234"), "fontFamily", "No Such Font 1234" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_names_the_parameter_and_the_value(Func<AlignmentReportOptions> create, string parameter, string valueText)
    {
        var error = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(valueText, error.Message);
    }

    [SkippableFact]
    public void An_installed_font_family_is_accepted()
    {
        var family = ChartFonts.InstalledFamilies().FirstOrDefault();
        Skip.If(family is null, "no font is installed on this machine");
        Assert.Equal(family, new AlignmentReportOptions(fontFamily: family).FontFamily);
    }
}
