using System.CommandLine;
using AlignedGen.Evaluation;
using AlignedGen.Reporting;

namespace AlignedGen.Cli.Options;

/// <summary>The HTML report's options (`compare` and `report`), validated by <see cref="AlignmentReportOptions"/>.</summary>
public sealed class ReportOptions
{
    public Option<string> Title { get; } = new Option<string>("--title")
    {
        Description = "Report title.",
        DefaultValueFactory = _ => AlignmentReportOptions.DefaultTitle,
        HelpName = "TEXT",
    }.CheckedBy(v => _ = new AlignmentReportOptions(title: v));

    public Option<int> Examples { get; } = new Option<int>("--examples")
    {
        Description = "Example prompts shown with every setting's response (0 leaves them out).",
        DefaultValueFactory = _ => 5,
        HelpName = "N",
    }.CheckedBy(v => _ = new AlignmentReportOptions(examplePromptCount: v));

    public void AddTo(Command command)
    {
        command.Options.Add(Title);
        command.Options.Add(Examples);
    }

    /// <summary>Writes report.html and charts/ into <paramref name="folder"/> and says what it wrote.</summary>
    public void Write(ParseResult parse, ComparisonResult result, string folder, TextWriter output)
    {
        var options = new AlignmentReportOptions(title: parse.GetValue(Title)!, examplePromptCount: parse.GetValue(Examples));
        var report = new AlignmentReportWriter(options).Write(result, folder);
        output.WriteLine($"wrote {Path.GetFullPath(report.HtmlPath)} and {report.Charts.Count} charts");
        foreach (var note in report.Notes) output.WriteLine("note: " + note);
    }
}
