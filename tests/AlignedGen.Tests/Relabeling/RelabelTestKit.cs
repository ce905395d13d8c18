using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>Shared setup for relabel tests: an input file of sample rows and options with a length reward.</summary>
public static class RelabelTestKit
{
    /// <summary>Writes <paramref name="count"/> sample rows to <paramref name="name"/> in the folder; returns the path and the rows.</summary>
    public static (string Path, List<DataRow> Rows) Input(TempFolder dir, int count, string name = "in.jsonl")
    {
        var rows = SampleRows.Make(count);
        var path = dir.File(name);
        SampleRows.Write(path, rows);
        return (path, rows);
    }

    public static RelabelOptions Options(string input, string output, FakeRewardSource? reward = null, int batchSize = 32) =>
        new(input, output, RewardColumn.For(reward ?? new FakeRewardSource())) { BatchSize = batchSize };

    /// <summary>The checkpoint an unfinished run of a job writing <paramref name="output"/> leaves (the output itself appears only when complete).</summary>
    public static string Checkpoint(string output) => output + ".checkpoint.jsonl";

    /// <summary>
    /// Runs a job whose reward source fails in call <paramref name="failAtCall"/>: the batches before it are durable in the
    /// checkpoint, beside a manifest, as a killed run leaves them.
    /// </summary>
    public static void Interrupt(RelabelOptions options, int failAtCall)
    {
        var failing = new FakeRewardSource { BeforeCall = call => { if (call == failAtCall) throw new InvalidOperationException("interrupted"); } };
        Assert.Throws<InvalidOperationException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(failing) }).Run());
        Assert.False(File.Exists(options.OutputPath), "an unfinished run must leave no output");
    }

    /// <summary>Runs a fresh, uninterrupted job into <paramref name="output"/> and returns the output bytes.</summary>
    public static byte[] CleanRun(RelabelOptions template, string output)
    {
        new RelabelJob(template with { OutputPath = output, Resume = false, Rewards = RewardColumn.For(new FakeRewardSource()) }).Run();
        return File.ReadAllBytes(output);
    }
}
