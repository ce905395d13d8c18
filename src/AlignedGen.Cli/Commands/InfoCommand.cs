using System.CommandLine;
using System.Text.Json;
using AlignedGen.Cli.Inputs;

namespace AlignedGen.Cli.Commands;

/// <summary>`aligngen info DIR`: what a model folder is — layout, inputs, dtype, layers, KV heads, vocabulary, special tokens, chat template.</summary>
public static class InfoCommand
{
    public static Command Create(CliContext c)
    {
        var folder = new Argument<string>("DIR") { Description = "A model or reward-model folder." };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object (for scripts)." };
        var command = new Command("info", "Describe a model folder: layout, graph inputs and outputs, dtype, layers, KV heads, vocabulary, special tokens, chat template.");
        command.Arguments.Add(folder);
        command.Options.Add(json);
        command.Options.Add(c.Options.Device);
        command.Options.Add(c.Options.AllowCpuFallback);
        command.Options.Add(c.Options.Threads);
        c.SetAction(command, parse =>
        {
            var report = ModelFolderReport.Read(c.ResolveFolder(parse, parse.GetValue(folder)!, c.Options.Execution(parse)), c.Options.Execution(parse));
            if (parse.GetValue(json))
                c.Console.Out.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            else
                report.WriteText(c.Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }
}
