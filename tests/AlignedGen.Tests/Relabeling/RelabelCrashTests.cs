using System.Diagnostics;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// Kills a relabel job for real (SIGKILL, no cleanup) in a child process (tests/AlignedGen.Tests.RelabelChild): twice
/// while a batch is being scored, once at a moment set by a timer; then resumes it and checks the output equals an
/// uninterrupted run, every row exactly once — for JSONL, CSV and Parquet outputs.
/// </summary>
public class RelabelCrashTests(ITestOutputHelper log)
{
    private const int Rows = 300;
    private const int BatchSize = 10;

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void A_job_killed_mid_run_resumes_to_the_same_output_with_every_row_once(string name)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, Rows);
        var output = dir.File(name);
        var options = RelabelTestKit.Options(input, output, batchSize: BatchSize);
        // The checkpoint is JSONL whatever the output format: compare it with a clean JSONL run.
        var clean = RelabelTestKit.CleanRun(options with { OutputFormat = AlignedGen.Data.RecordFormat.Jsonl }, dir.File("clean.jsonl"));
        var cleanOutput = RelabelTestKit.CleanRun(options, dir.File("clean-" + name));
        var cleanLineEnds = clean.Select((b, i) => (b, i)).Where(t => t.b == (byte)'\n').Select(t => (long)t.i + 1).ToArray();

        var checkpoint = RelabelTestKit.Checkpoint(output);

        // Killed while scoring its 6th batch: exactly 5 batches are durable (in the checkpoint; no output yet).
        KillWhileBlocked(input, output, blockAtCall: 5);
        Assert.Equal(clean[..(int)cleanLineEnds[49]], File.ReadAllBytes(checkpoint));
        Assert.False(File.Exists(output));

        // Resumed from 50 rows and killed in its 8th batch: 50 + 70 rows durable.
        KillWhileBlocked(input, output, blockAtCall: 7);
        Assert.Equal(clean[..(int)cleanLineEnds[119]], File.ReadAllBytes(checkpoint));

        // Resumed again and killed by a timer once the checkpoint has grown past 200 rows, wherever the child then is.
        var at = KillAfterGrowth(input, checkpoint, minimumLength: cleanLineEnds[199]);
        var length = new FileInfo(checkpoint).Length;
        log.WriteLine($"timed kill: file at {at} bytes when the kill was sent, {length} bytes after; complete file {clean.Length} bytes");
        Assert.InRange(length, cleanLineEnds[199], clean.Length);

        // The last run goes to completion in a child process too: a resume must be the same job (same reward) as the runs it continues.
        using var last = StartChild(input, output, sleepMs: 0, blockAtCall: null);
        var printed = last.StandardOutput.ReadToEnd();
        last.WaitForExit();
        var done = printed.Split('\n').Single(l => l.StartsWith("done", StringComparison.Ordinal));
        log.WriteLine($"resume: {done}");
        var counts = done.Split(' ').Skip(1).Select(p => long.Parse(p.Split('=')[1])).ToArray();
        Assert.Equal(Rows, counts[0] + counts[1]);
        Assert.InRange(counts[0], 200, Rows);
        Assert.Equal(rows.Select(r => r.GetText("id")), SampleRows.ReadAll(output).Select(r => r.GetText("id")));
        if (name.EndsWith(".parquet", StringComparison.Ordinal))
            Assert.Equal(SampleRows.ReadAll(dir.File("clean-" + name)).Select(r => r.ToString()), SampleRows.ReadAll(output).Select(r => r.ToString()));
        else
            Assert.Equal(cleanOutput, File.ReadAllBytes(output));
        Assert.False(File.Exists(checkpoint));
    }

    private static void KillWhileBlocked(string input, string output, int blockAtCall)
    {
        var marker = output + ".blocked";
        File.Delete(marker);
        using var child = StartChild(input, output, sleepMs: 2, blockAtCall);
        WaitFor(() => File.Exists(marker), child, "the child to block in its reward source");
        Kill(child);
    }

    private static long KillAfterGrowth(string input, string checkpoint, long minimumLength)
    {
        using var child = StartChild(input, checkpoint[..^".checkpoint.jsonl".Length], sleepMs: 20, blockAtCall: null);
        WaitFor(() => File.Exists(checkpoint) && new FileInfo(checkpoint).Length >= minimumLength, child, "the checkpoint to grow");
        var at = new FileInfo(checkpoint).Length;
        Kill(child);
        return at;
    }

    private static Process StartChild(string input, string output, int sleepMs, int? blockAtCall)
    {
        var childDll = Path.Combine(AppContext.BaseDirectory, "AlignedGen.Tests.RelabelChild.dll");
        Assert.True(File.Exists(childDll), $"{childDll} is missing: build tests/AlignedGen.Tests (it references the child project).");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", childDll, input, output, BatchSize.ToString(), sleepMs.ToString() }) start.ArgumentList.Add(arg);
        if (blockAtCall is { } b) start.ArgumentList.Add(b.ToString());
        return Process.Start(start)!;
    }

    private static void WaitFor(Func<bool> condition, Process child, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            // (Read the child's stderr only on failure: reading it blocks until the child exits.)
            if (child.HasExited && !condition()) Assert.Fail($"the child exited before {what}: {child.StandardError.ReadToEnd()}");
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
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
