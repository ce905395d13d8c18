using AlignedGen.Evaluation;
using AlignedGen.Reporting;

namespace AlignedGen.Cli;

/// <summary>`aligngen report`: draws the HTML report of a comparison folder; also used by `compare` after its run.</summary>
public static class ReportCommand
{
    public static int Run(CliArguments a, TextWriter output)
    {
        var input = a.Get("--input") ?? throw new ArgumentException("report needs --input DIR (a comparison folder written by 'aligngen compare').");
        var result = ComparisonResultFiles.Load(input);
        Write(result, a.Get("--output") ?? input, a, output);
        return 0;
    }

    /// <summary>Writes report.html and charts/ into <paramref name="folder"/> and says what it wrote.</summary>
    public static void Write(ComparisonResult result, string folder, CliArguments a, TextWriter output)
    {
        var options = new AlignmentReportOptions(title: a.Get("--title") ?? "Alignment report",
            examplePromptCount: a.GetInt("--examples", 5));
        var report = new AlignmentReportWriter(options).Write(result, folder);
        output.WriteLine($"wrote {Path.GetFullPath(report.HtmlPath)} and {report.Charts.Count} charts");
        foreach (var note in report.Notes) output.WriteLine("note: " + note);
    }
}
