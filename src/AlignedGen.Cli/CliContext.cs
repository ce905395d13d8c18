using System.CommandLine;
using AlignedGen.Cli.Options;
using AlignedGen.Cli.Progress;
using AlignedGen.Hub;
using AlignedGen.Models;

namespace AlignedGen.Cli;

/// <summary>What every command's action shares: the console, the shared options, and the Ctrl+C token.</summary>
public sealed class CliContext(CliConsole console, CancellationToken cancellationToken)
{
    public CliConsole Console { get; } = console;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public CliOptions Options { get; } = new();

    public StrategyOptions Strategy { get; } = new();

    public RewardOptions Rewards { get; } = new();

    /// <summary>Adds --quiet and --progress to a command that runs long.</summary>
    public void AddProgressOptions(Command command)
    {
        command.Options.Add(Options.Quiet);
        command.Options.Add(Options.Progress);
    }

    /// <summary>The progress display the command line asks for.</summary>
    public IProgressDisplay CreateProgress(ParseResult parse, string activity, string unit) =>
        ProgressDisplays.Create(Console, parse.GetValue(Options.Progress), parse.GetValue(Options.Quiet), activity, unit);

    /// <summary>A note on stderr ("note: ..."), unless --quiet.</summary>
    public void Note(ParseResult parse, string text)
    {
        if (!parse.GetValue(Options.Quiet)) Console.Error.WriteLine(text);
    }

    /// <summary>
    /// Loads the language model on the device --device names. A CPU fallback (only with --allow-cpu-fallback) is never
    /// silent: it is reported on stderr even with --quiet.
    /// </summary>
    public OnnxCausalLanguageModel LoadModel(ParseResult parse, string folder, ExecutionOptions execution)
    {
        var model = OnnxCausalLanguageModel.Load(ResolveFolder(parse, folder, execution), execution);
        if (execution.Device == ExecutionDevice.Cuda && model.ExecutionReport.Contains("fallback", StringComparison.Ordinal))
            Console.Error.WriteLine("warning: running on " + model.ExecutionReport);
        return model;
    }

    /// <summary>
    /// The local folder a --model / --reward value names: a path as given, or an <c>hf:org/name[@rev][/subfolder]</c>
    /// reference brought from the Hugging Face Hub into its cache (docs/hub.md), with a download bar unless --quiet.
    /// </summary>
    public string ResolveFolder(ParseResult parse, string value, ExecutionOptions execution)
    {
        if (!HubModelReference.HasPrefix(value)) return value;
        using var display = CreateProgress(parse, "download " + value, "bytes");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = new SynchronousProgress<HubDownloadProgress>(p =>
            display.Report(new ProgressSnapshot(p.BytesDone, p.BytesTotal, clock.Elapsed, p.File)));
        return ModelLocation.ResolveFolder(value, execution.Device, progress: progress, cancellationToken: CancellationToken);
    }

    /// <summary>Sets <paramref name="run"/> as the command's action, with errors reported and mapped to exit codes.</summary>
    public void SetAction(Command command, Func<ParseResult, int> run) =>
        command.SetAction(parse => ErrorReport.Guard(Console.Error, CancellationToken, () => run(parse)));
}
