using System.CommandLine;
using System.CommandLine.Invocation;
using AlignedGen.Cli.Commands;

namespace AlignedGen.Cli;

/// <summary>
/// The `aligngen` command line: one <see cref="Command"/> per job, built over the shared options; parse errors and
/// failures become exit codes (<see cref="ExitCodes"/>). <see cref="Program"/> runs it on the real console; tests run it
/// in-process on string writers.
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "aligngen — decoding-time alignment: steer a language model toward what a reward prefers while it decodes "
            + "(ARGS, Best-of-N, DARWIN), relabel datasets with rewards, build preference pairs, compare strategies. "
            + "Without a command it runs the demo on the embedded model." + Environment.NewLine + ExitCodes.Help);
        foreach (var command in new[]
        {
            DemoCommand.Create(context), GenerateCommand.Create(context), RelabelCommand.Create(context), MergeCommand.Create(context),
            PairsCommand.Create(context), CompareCommand.Create(context), ReportCommand.Create(context), InfoCommand.Create(context),
            TokenizeCommand.Create(context), CompletionCommand.Create(context),
        })
            root.Subcommands.Add(command);
        DemoCommand.AddDefaults(root, context);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console, cancellationToken);
        var root = Build(context);
        var parse = root.Parse(HelpWord(args));
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program handles Ctrl+C: the running command stops after its current batch
        };
        if (parse.Action is ParseErrorAction)
        {
            ParseErrors.Write(parse, console.Error);
            return ExitCodes.UsageOrInputError;
        }
        return parse.Invoke(configuration);
    }

    /// <summary>`aligngen help [command]` means `aligngen [command] --help`.</summary>
    private static string[] HelpWord(string[] args) =>
        args.Length > 0 && args[0] == "help" ? args.Skip(1).Append("--help").ToArray() : args;
}
