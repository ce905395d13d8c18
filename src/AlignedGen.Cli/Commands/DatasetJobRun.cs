using System.CommandLine;
using AlignedGen.Cli.Progress;
using AlignedGen.Jobs;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// What `generate --output` and `relabel` share around their dataset job: the progress display ("relabel 1/4" for a
/// shard) and Ctrl+C / SIGTERM, which stop the job after its batch and say how to resume.
/// </summary>
internal static class DatasetJobRun
{
    /// <summary>
    /// Runs <paramref name="run"/> (given a progress reporter and the command's cancellation token) under a display titled
    /// <paramref name="verb"/> and its shard, counting <paramref name="unit"/>. Returns the job's summary, or null when it
    /// was cancelled, after the display has ended and <paramref name="cancelled"/> is on stderr.
    /// </summary>
    public static TSummary? Run<TSummary>(CliContext c, ParseResult parse, string verb, ShardSpec shard, string unit,
        Func<Action<ProgressSnapshot>, CancellationToken, TSummary> run, string cancelled) where TSummary : class
    {
        var display = c.CreateProgress(parse, shard.Count > 1 ? $"{verb} {shard}" : verb, unit);
        try
        {
            return run(display.Report, c.CancellationToken);
        }
        catch (OperationCanceledException) when (c.CancellationToken.IsCancellationRequested)
        {
            display.Dispose();   // end a live bar before the message
            c.Console.Error.WriteLine(cancelled);
            return null;
        }
        finally
        {
            display.Dispose();
        }
    }
}
