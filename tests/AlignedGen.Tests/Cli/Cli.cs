using AlignedGen.Cli;

namespace AlignedGen.Tests.Cli;

/// <summary>Runs `aligngen` in-process on string writers, as a redirected terminal would see it.</summary>
internal static class Cli
{
    public sealed record Result(int Code, string Out, string Error)
    {
        public override string ToString() => $"exit {Code}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    public static Result Run(params string[] args) => Run(CancellationToken.None, args);

    public static Result Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliConsole(output, error) { PlainProgressInterval = TimeSpan.Zero }, cancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with an error writer that sees every line (e.g. to press "Ctrl+C" after the first progress line).</summary>
    public static Result Run(TextWriter error, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var code = CliApp.Run(args, new CliConsole(output, error) { PlainProgressInterval = TimeSpan.Zero }, cancellationToken);
        return new Result(code, output.ToString(), error.ToString() ?? "");
    }
}
