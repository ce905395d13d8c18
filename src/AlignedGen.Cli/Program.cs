using System.Runtime.InteropServices;

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
        // SIGTERM (scancel, Slurm preemption, Kubernetes deleting the pod) gets the same clean stop: the scheduler's
        // grace period (KillWait, terminationGracePeriodSeconds) lets the batch in flight be written; SIGKILL follows.
        var terminated = false;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminated = true;
            if (cancellation.IsCancellationRequested) return;
            console.Error.WriteLine("terminated (SIGTERM): stopping after the current batch...");
            cancellation.Cancel();
        });
        try
        {
            var code = CliApp.Run(args, console, cancellation.Token);
            return terminated && code == ExitCodes.Cancelled ? ExitCodes.Terminated : code;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }
}
