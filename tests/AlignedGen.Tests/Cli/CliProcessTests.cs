using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using AlignedGen.Cli.Commands;
using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// The real `aligngen` process: its name and version, progress as a terminal and as a log file see it, and Ctrl+C
/// (SIGINT) stopping a relabel cleanly so that --resume finishes it.
/// </summary>
public class CliProcessTests
{
    private static string WriteRows(TempFolder temp, int count)
    {
        var path = temp.Sub("rows.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { id = i.ToString(), prompt = $"Tell me about the boat number {i % 7}", response = $"The boat {i} sailed over the sea at dawn." })));
        return path;
    }

    [Fact]
    public void The_process_is_called_aligngen_and_prints_its_version()
    {
        var version = CliProcess.Run("--version");
        Assert.Equal(0, version.Code);
        var expected = typeof(AlignedGen.Cli.CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, version.Out.Trim());
        var help = CliProcess.Run("generate", "-h");
        Assert.Equal(0, help.Code);
        Assert.Contains("aligngen generate [options]", help.Out);
        var typo = CliProcess.Run("relabel", "--inptu", "x");
        Assert.Equal(2, typo.Code);
        Assert.Contains("Did you mean '--input'?", typo.Error);
    }

    [Fact]
    public void Redirected_progress_is_plain_lines_and_quiet_is_silent()
    {
        using var temp = new TempFolder();
        var input = WriteRows(temp, 12);
        var plain = CliProcess.Run("relabel", "-i", input, "-o", temp.Sub("a.jsonl"), "-r", "proxy", "--batch-size", "4");
        Assert.True(plain.Code == 0, plain.ToString());
        Assert.Contains("relabel: 12/12 rows (100%)", plain.Error);
        Assert.Contains("rows/s", plain.Error);
        Assert.DoesNotContain("\u001b", plain.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", plain.Error, StringComparison.Ordinal);
        var quiet = CliProcess.Run("relabel", "-i", input, "-o", temp.Sub("b.jsonl"), "-r", "proxy", "--quiet");
        Assert.True(quiet.Code == 0, quiet.ToString());
        Assert.Equal("", quiet.Error);
    }

    [SkippableFact]
    public void On_a_terminal_progress_is_a_live_bar()
    {
        var script = CliProcess.Which("script");
        Skip.If(script is null, "util-linux 'script' (a pseudo-terminal) is not installed");
        using var temp = new TempFolder();
        var input = WriteRows(temp, 12);
        // script runs aligngen on a pseudo-terminal, so stderr is a terminal and --progress auto picks the live bar.
        var command = string.Join(" ", new[] { CliProcess.Dotnet, "exec", CliProcess.Dll, "relabel", "-i", input, "-o", temp.Sub("a.jsonl"), "-r", "proxy", "--batch-size", "4" }.Select(Quote));
        var start = new ProcessStartInfo(script!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qefc", command, "/dev/null" }) start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["COLUMNS"] = "120";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "aligngen on a pseudo-terminal did not finish");
        var text = output.Result;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("\u001b[", text, StringComparison.Ordinal); // drawn with terminal control sequences
        Assert.Contains("12/12 rows", text);
        Assert.Contains("rows/s", text);
        Assert.DoesNotContain("relabel: 12/12 rows (100%)", text); // not the plain line format

        static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
    }

    [SkippableFact]
    public void Ctrl_C_stops_a_relabel_after_its_batch_and_resume_finishes_it()
    {
        var kill = CliProcess.Which("kill");
        Skip.If(kill is null, "no 'kill' program to send SIGINT with");
        // A shell starts background jobs with SIGINT ignored, and children inherit that (so Ctrl+C on the terminal does
        // not reach them): then aligngen rightly never sees the signal, and there is nothing to test.
        Skip.If(SigintIgnoredHere(), "SIGINT is ignored in this test process (it was started as a background job), so the aligngen child inherits that; run the suite in the foreground");
        using var temp = new TempFolder();
        // Enough rows, on one thread, that the job is still running when the signal lands (the proxy reward's 90 MB embedder
        // gets every core by default, which finished 600 rows before a loaded machine had started 'kill').
        const int rows = 2000;
        var input = WriteRows(temp, rows);
        var output = temp.Sub("out.jsonl");
        using var process = Process.Start(CliProcess.StartInfo("relabel", "-i", input, "-o", output, "-r", "proxy", "--batch-size", "8", "--no-sync", "--threads", "1"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        // The job appends each scored batch to its checkpoint; the output appears, complete, when the job finishes.
        var checkpoint = output + ".checkpoint.jsonl";
        while (!(File.Exists(checkpoint) && new FileInfo(checkpoint).Length > 0) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
        Skip.If(process.HasExited, "the relabel finished before the signal could be sent (a very fast machine)");
        Process.Start(kill!, new[] { "-INT", process.Id.ToString() })!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "aligngen did not stop after SIGINT");
        var error = stderr.Result;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {error}");
        Assert.Contains("stopping after the current batch", error);
        Assert.Contains("Run the same command with --resume to continue.", error);
        Assert.False(File.Exists(output));
        var kept = File.ReadAllLines(checkpoint).Length;
        Assert.InRange(kept, 8, rows - 1);
        var resumed = CliProcess.Run("relabel", "-i", input, "-o", output, "-r", "proxy", "--batch-size", "8", "--resume", "--quiet", "--threads", "1");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains($"({kept:N0} already done", resumed.Out);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => i.ToString()), File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public void The_demo_process_runs_on_the_embedded_model()
    {
        var run = CliProcess.Run("demo", "--limit", "1", "--max-new-tokens", "8");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains(DefaultModels.EnsureStoryModel(), run.Out);
        Assert.Contains(DemoCommand.NextStep, run.Out);
    }

    /// <summary>True when this process ignores SIGINT (Linux: bit 1 of SigIgn in /proc/self/status).</summary>
    private static bool SigintIgnoredHere()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }
}
