using System.Text;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>A run killed mid-write leaves a torn last record; resuming truncates it and completes the file exactly.</summary>
public class RelabelTornTailTests
{
    [Fact]
    public void A_torn_last_jsonl_line_is_truncated_and_the_file_completed()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 80);
        var output = dir.File("out.jsonl");
        var options = RelabelTestKit.Options(input, output, batchSize: 8);
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean.jsonl"));

        // First 50 complete lines, then half of line 51 (no newline): what a kill during a write leaves.
        var lineEnds = clean.Select((b, i) => (b, i)).Where(t => t.b == (byte)'\n').Select(t => t.i + 1).ToArray();
        var torn = (lineEnds[50] - lineEnds[49]) / 2;
        File.WriteAllBytes(output, clean[..(lineEnds[49] + torn)]);

        var reward = new FakeRewardSource();
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(reward) }).Run();
        Assert.Equal(torn, summary.TornBytesRemoved);
        Assert.Equal((50L, 30L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(30, reward.Seen.Count);
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Fact]
    public void A_csv_record_torn_inside_a_multiline_quoted_field_is_truncated()
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 40);
        var output = dir.File("out.csv");
        var options = RelabelTestKit.Options(input, output, batchSize: 8);
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean.csv"));
        var text = Encoding.UTF8.GetString(clean);

        // Row r{k} whose response holds a line break inside its quoted cell; cut just after that inner line break.
        var k = rows.FindIndex(20, r => ((string)r["response"]!).Contains("two\nlines"));
        var recordStart = text.IndexOf($"\r\nr{k:D5},", StringComparison.Ordinal) + 2;
        var cut = text.IndexOf("two\nlines", recordStart, StringComparison.Ordinal) + 4;
        var cutBytes = Encoding.UTF8.GetByteCount(text[..cut]);
        File.WriteAllBytes(output, clean[..cutBytes]);

        var summary = new RelabelJob(options).Run();
        Assert.Equal(cutBytes - Encoding.UTF8.GetByteCount(text[..recordStart]), summary.TornBytesRemoved);
        Assert.Equal(k, summary.RowsAlreadyDone);
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Fact]
    public void A_torn_parquet_checkpoint_is_truncated_and_the_parquet_written_at_the_end()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 30);
        var output = dir.File("out.parquet");
        var options = RelabelTestKit.Options(input, output, batchSize: 4);
        RelabelTestKit.CleanRun(options with { OutputFormat = AlignedGen.Data.RecordFormat.Jsonl }, dir.File("clean.jsonl"));
        var clean = File.ReadAllBytes(dir.File("clean.jsonl"));
        var lineEnds = clean.Select((b, i) => (b, i)).Where(t => t.b == (byte)'\n').Select(t => t.i + 1).ToArray();
        File.WriteAllBytes(output + ".checkpoint.jsonl", clean[..(lineEnds[11] + 7)]);

        var summary = new RelabelJob(options).Run();
        Assert.Equal(7, summary.TornBytesRemoved);
        Assert.Equal(12, summary.RowsAlreadyDone);
        Assert.False(File.Exists(output + ".checkpoint.jsonl"));
        Assert.Equal(SampleRows.ReadAll(dir.File("clean.jsonl")).Select(r => r.ToString()), SampleRows.ReadAll(output).Select(r => r.ToString()));
    }
}
