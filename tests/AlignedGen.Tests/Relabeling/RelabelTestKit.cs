using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;

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

    /// <summary>Runs a fresh, uninterrupted job into <paramref name="output"/> and returns the output bytes.</summary>
    public static byte[] CleanRun(RelabelOptions template, string output)
    {
        new RelabelJob(template with { OutputPath = output, Resume = false, Rewards = RewardColumn.For(new FakeRewardSource()) }).Run();
        return File.ReadAllBytes(output);
    }
}
