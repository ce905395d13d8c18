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

        string[] Child(int sleepMs, int? blockAtCall) =>
            new[] { input, output, BatchSize.ToString(), sleepMs.ToString() }.Concat(blockAtCall is { } b ? new[] { b.ToString() } : Array.Empty<string>()).ToArray();

        // Killed while scoring its 6th batch: exactly 5 batches are durable (in the checkpoint; no output yet).
        ChildJob.KillWhenBlocked(output + ".blocked", Child(2, 5));
        Assert.Equal(clean[..(int)cleanLineEnds[49]], File.ReadAllBytes(checkpoint));
        Assert.False(File.Exists(output));

        // Resumed from 50 rows and killed in its 8th batch: 50 + 70 rows durable.
        ChildJob.KillWhenBlocked(output + ".blocked", Child(2, 7));
        Assert.Equal(clean[..(int)cleanLineEnds[119]], File.ReadAllBytes(checkpoint));

        // Resumed again and killed by a timer once the checkpoint has grown past 200 rows, wherever the child then is.
        var at = ChildJob.KillAfterGrowth(checkpoint, cleanLineEnds[199], Child(20, null));
        var length = new FileInfo(checkpoint).Length;
        log.WriteLine($"timed kill: file at {at} bytes when the kill was sent, {length} bytes after; complete file {clean.Length} bytes");
        Assert.InRange(length, cleanLineEnds[199], clean.Length);

        // The last run goes to completion in a child process too: a resume must be the same job (same reward) as the runs it continues.
        var (already, scored, done) = ChildJob.RunToCompletion(Child(0, null));
        log.WriteLine($"resume: {done}");
        Assert.Equal(Rows, already + scored);
        Assert.InRange(already, 200, Rows);
        Assert.Equal(rows.Select(r => r.GetText("id")), SampleRows.ReadAll(output).Select(r => r.GetText("id")));
        if (name.EndsWith(".parquet", StringComparison.Ordinal))
            Assert.Equal(SampleRows.ReadAll(dir.File("clean-" + name)).Select(r => r.ToString()), SampleRows.ReadAll(output).Select(r => r.ToString()));
        else
            Assert.Equal(cleanOutput, File.ReadAllBytes(output));
        Assert.False(File.Exists(checkpoint));
    }
}
