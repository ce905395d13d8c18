using AlignedGen.Jobs;
using System.Diagnostics;
using System.Text.Json;
using AlignedGen.Tests.Cli;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>
/// SIGTERM, as `scancel`, Slurm preemption and Kubernetes send before SIGKILL: the real `aligngen` stops after the batch
/// in flight with exit code 143, and the same command with --resume completes the output byte for byte.
/// </summary>
public class CliTerminationTests
{
    [SkippableFact]
    public void Sigterm_stops_a_relabel_after_its_batch_and_resume_finishes_it_exactly()
    {
        var kill = CliProcess.Which("kill");
        Skip.If(kill is null, "no 'kill' program to send SIGTERM with");
        using var temp = new TempFolder();
        var input = temp.Sub("rows.jsonl");
        // Enough rows, on one thread, that the job is still running when the signal lands (the proxy reward's 90 MB
        // embedder gets every core by default, and 300 rows could finish before a loaded machine had started 'kill').
        File.WriteAllLines(input, Enumerable.Range(0, 2000).Select(i => JsonSerializer.Serialize(new { id = $"r{i}", prompt = "Tell me about the sea", response = $"The boat {i} sailed at dawn." })));
        var output = temp.Sub("out.jsonl");
        string[] Args(params string[] more) => new[] { "relabel", "-i", input, "-o", output, "-r", "proxy", "--batch-size", "8", "--no-sync", "--shard", "1/2", "--threads", "1" }.Concat(more).ToArray();
        using var process = Process.Start(CliProcess.StartInfo(Args()))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        // The job appends each scored batch to its checkpoint; the output appears, complete, when the job finishes.
        var checkpoint = JobFiles.CheckpointPath(output);
        while (!(File.Exists(checkpoint) && new FileInfo(checkpoint).Length > 0) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
        Skip.If(process.HasExited, "the relabel finished before the signal could be sent (a very fast machine)");
        Process.Start(kill!, new[] { "-TERM", process.Id.ToString() })!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "aligngen did not stop after SIGTERM");
        var error = stderr.Result;
        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}: {error}");
        Assert.Contains("terminated (SIGTERM): stopping after the current batch", error);
        Assert.False(File.Exists(output), "a stopped job must not leave a partial output");
        var kept = File.ReadAllLines(checkpoint).Length;
        Assert.InRange(kept, 8, 999);

        var resumed = CliProcess.Run(Args("--resume", "--quiet"));
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains($"({kept:N0} already done", resumed.Out);
        var again = CliProcess.Run(Args("--resume", "--quiet"));
        Assert.True(again.Code == 0, again.ToString());
        Assert.Contains("relabeled 0 rows (1,000 already done", again.Out);
        var whole = CliProcess.Run("relabel", "-i", input, "-o", temp.Sub("whole.jsonl"), "-r", "proxy", "--shard", "1/2", "--quiet");
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.Equal(File.ReadAllBytes(temp.Sub("whole.jsonl")), File.ReadAllBytes(output));
    }
}
