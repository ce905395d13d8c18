namespace AlignedGen.Cli;

/// <summary>aligngen — the command line (see <see cref="CliApp"/> and docs/cli.md).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY") ?? "1");
        using var cancellation = new CancellationTokenSource();
        var console = CliConsole.FromSystem();
        // First Ctrl+C: stop cleanly after the batch in flight (what is written stays, the command says how to resume).
        // Second Ctrl+C: the default, immediate termination.
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            console.Error.WriteLine();
            console.Error.WriteLine("stopping after the current batch (Ctrl+C again to quit at once)...");
            cancellation.Cancel();
        };
        Console.CancelKeyPress += handler;
        try
        {
            return CliApp.Run(args, console, cancellation.Token);
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }
}
