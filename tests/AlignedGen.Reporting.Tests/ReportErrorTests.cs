using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Reporting.Tests;

/// <summary>Bad input to the writer fails with an error that names the problem.</summary>
public sealed class ReportErrorTests
{
    private static readonly AlignmentReportWriter Writer = new(new AlignmentReportOptions(chartWidth: 400, chartHeight: 300));

    [Fact]
    public void An_empty_result_names_the_result()
    {
        var empty = SyntheticComparison.Create(prompts: 2) with { Summaries = [], Responses = [] };
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => Writer.Write(empty, folder.Path));
        Assert.Equal("result", error.ParamName);
        Assert.Contains("no settings", error.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, AlignmentReportWriter.HtmlFileName)));
    }

    [Fact]
    public void Duplicate_setting_labels_are_refused()
    {
        var result = SyntheticComparison.Create(prompts: 2);
        result = result with { Summaries = [.. result.Summaries, result.Summaries[1]] };
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => Writer.Write(result, folder.Path));
        Assert.Equal("result", error.ParamName);
        Assert.Contains("'sample T=0.7'", error.Message);
    }

    [Fact]
    public void A_folder_that_is_a_file_or_under_a_file_is_reported_with_its_path()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "taken.txt");
        File.WriteAllText(file, "not a folder");
        var result = SyntheticComparison.Create(prompts: 2);

        var isFile = Assert.Throws<ModelFolderException>(() => Writer.Write(result, file));
        Assert.Equal(file, isFile.Path);
        Assert.Contains("is a file", isFile.Message);

        var underFile = Assert.Throws<ModelFolderException>(() => Writer.Write(result, Path.Combine(file, "report")));
        Assert.Contains("cannot be created", underFile.Problem);
        Assert.IsAssignableFrom<IOException>(underFile.InnerException);
    }

    [Fact]
    public void A_blank_folder_names_the_folder()
    {
        var error = Assert.Throws<ArgumentException>(() => Writer.Write(SyntheticComparison.Create(prompts: 2), " "));
        Assert.Equal("folder", error.ParamName);
    }

    [Fact]
    public void Asking_for_a_reward_that_was_not_measured_says_so()
    {
        var noHeldOut = SyntheticComparison.Create(SyntheticComparison.TypicalSettings.Take(2).ToArray(), prompts: 3, heldOut: false);
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => new AlignmentReportWriter(new AlignmentReportOptions(reward: ReportReward.HeldOut)).Write(noHeldOut, folder.Path));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("no held-out reward", error.Message);
    }

    [Fact]
    public void A_cancelled_write_stops()
    {
        using var folder = new TempFolder();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Writer.Write(SyntheticComparison.Create(prompts: 2), folder.Path, cancelled.Token));
    }
}
