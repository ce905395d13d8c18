using AlignedGen.Cli.Progress;

namespace AlignedGen.Cli;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, messages and progress to <see cref="Error"/> (so
/// `aligngen generate ... > out.jsonl` stays clean). Tests pass string writers; <see cref="FromSystem"/> is the real console.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool errorIsTerminal = false)
    {
        Out = output;
        Error = error;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Results (JSONL rows, tables).</summary>
    public TextWriter Out { get; }

    /// <summary>Messages, warnings and progress.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether <see cref="Error"/> is an interactive terminal (then progress is a live bar).</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>How often the plain (redirected) progress writes a line; tests shorten it.</summary>
    public TimeSpan PlainProgressInterval { get; init; } = PlainProgressDisplay.DefaultInterval;

    /// <summary>The process's console: stdout, stderr, and whether stderr is a terminal.</summary>
    public static CliConsole FromSystem() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
