using System.Diagnostics;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// Runs a dataset job in a child process (tests/AlignedGen.Tests.RelabelChild) and kills it for real (SIGKILL, no
/// cleanup): while it is blocked inside a batch, or once its checkpoint has grown past a length; or runs it to completion.
/// </summary>
public static class ChildJob
{
    /// <summary>Starts the child with <paramref name="args"/>, waits until it has created <paramref name="marker"/> (blocked in a batch), kills it.</summary>
    public static void KillWhenBlocked(string marker, params string[] args)
    {
        File.Delete(marker);
        using var child = Start(args);
        WaitFor(() => File.Exists(marker), child, "the child to block inside a batch");
        Kill(child);
    }

    /// <summary>Starts the child, kills it once <paramref name="checkpoint"/> holds at least <paramref name="minimumLength"/> bytes; returns the length seen then.</summary>
    public static long KillAfterGrowth(string checkpoint, long minimumLength, params string[] args)
    {
        using var child = Start(args);
        WaitFor(() => File.Exists(checkpoint) && new FileInfo(checkpoint).Length >= minimumLength, child, "the checkpoint to grow");
        var at = new FileInfo(checkpoint).Length;
        Kill(child);
        return at;
    }

    /// <summary>Runs the child to completion; returns (rows already done, rows processed) from its "done" line.</summary>
    public static (long AlreadyDone, long Processed, string Line) RunToCompletion(params string[] args)
    {
        using var child = Start(args);
        var printed = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, $"the child failed ({child.ExitCode}): {child.StandardError.ReadToEnd()}");
        var done = printed.Split('\n').Single(l => l.StartsWith("done", StringComparison.Ordinal)).Trim();
        var counts = done.Split(' ').Skip(1).Select(p => long.Parse(p.Split('=')[1])).ToArray();
        return (counts[0], counts[1], done);
    }

    private static Process Start(string[] args)
    {
        var childDll = Path.Combine(AppContext.BaseDirectory, "AlignedGen.Tests.RelabelChild.dll");
        Assert.True(File.Exists(childDll), $"{childDll} is missing: build tests/AlignedGen.Tests (it references the child project).");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(childDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static void WaitFor(Func<bool> condition, Process child, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            // (Read the child's stderr only on failure: reading it blocks until the child exits.)
            if (child.HasExited && !condition()) Assert.Fail($"the child exited before {what}: {child.StandardError.ReadToEnd()}");
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                child.Kill();
                Assert.Fail($"timed out waiting for {what}");
            }
            Thread.Sleep(2);
        }
    }

    private static void Kill(Process child)
    {
        child.Kill();
        child.WaitForExit();
        // The child never printed "done": it did not finish on its own before the signal.
        Assert.DoesNotContain("done", child.StandardOutput.ReadToEnd());
    }
}
