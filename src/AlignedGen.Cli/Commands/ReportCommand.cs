using System.CommandLine;
using AlignedGen.Cli.Options;
using AlignedGen.Evaluation;

namespace AlignedGen.Cli.Commands;

/// <summary>`aligngen report`: (re)draws the HTML report of a comparison folder written by `compare`.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext c)
    {
        var input = new Option<string>("--input", "-i") { Description = "A comparison folder written by 'aligngen compare' (holds comparison.json).", HelpName = "DIR", Required = true };
        var output = CliOptions.Output("Folder for report.html and charts/ (default: the comparison folder).", required: false);
        var report = new ReportOptions();
        var command = new Command("report", "Draw the HTML report (report.html + charts/*.png) of a comparison folder.");
        command.Options.Add(input);
        command.Options.Add(output);
        report.AddTo(command);
        c.SetAction(command, parse =>
        {
            var folder = parse.GetValue(input)!;
            var result = ComparisonResultFiles.Load(folder);
            report.Write(parse, result, parse.GetValue(output) ?? folder, c.Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }
}
