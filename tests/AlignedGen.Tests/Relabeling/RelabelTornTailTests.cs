using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// A run killed mid-write leaves a torn last record in its checkpoint; resuming truncates it and completes the output
/// exactly, whatever the output format (the checkpoint is JSONL; CSV and Parquet are written from it at the end).
/// </summary>
public class RelabelTornTailTests
{
    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void A_torn_last_checkpoint_line_is_truncated_and_the_output_completed(string name)
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 80);
        var output = dir.File(name);
        var options = RelabelTestKit.Options(input, output, batchSize: 8);
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean-" + name));
        var cleanJsonl = RelabelTestKit.CleanRun(options with { OutputFormat = RecordFormat.Jsonl }, dir.File("clean.jsonl"));

        // Six batches durable, then half of the next line (no newline): what a kill during a write leaves.
        RelabelTestKit.Interrupt(options, failAtCall: 6);
        var checkpoint = RelabelTestKit.Checkpoint(output);
        var lineEnds = cleanJsonl.Select((b, i) => (b, i)).Where(t => t.b == (byte)'\n').Select(t => t.i + 1).ToArray();
        Assert.Equal(cleanJsonl[..lineEnds[47]], File.ReadAllBytes(checkpoint));
        var torn = (lineEnds[48] - lineEnds[47]) / 2;
        File.WriteAllBytes(checkpoint, cleanJsonl[..(lineEnds[47] + torn)]);

        var reward = new FakeRewardSource();
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(reward) }).Run();
        Assert.Equal(torn, summary.TornBytesRemoved);
        Assert.Equal((48L, 32L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(32, reward.Seen.Count);
        Assert.False(File.Exists(checkpoint));
        if (name.EndsWith(".parquet"))
            Assert.Equal(SampleRows.ReadAll(dir.File("clean-" + name)).Select(r => r.ToString()), SampleRows.ReadAll(output).Select(r => r.ToString()));
        else
            Assert.Equal(clean, File.ReadAllBytes(output));
    }
}
