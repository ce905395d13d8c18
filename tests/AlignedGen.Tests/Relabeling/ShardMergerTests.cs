using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

public class ShardMergerTests
{
    [Theory]
    [InlineData(ShardAssignment.RowIndex, "jsonl")]
    [InlineData(ShardAssignment.IdHash, "jsonl")]
    [InlineData(ShardAssignment.RowIndex, "csv")]
    [InlineData(ShardAssignment.IdHash, "parquet")]
    public void Merged_shards_equal_a_single_run(ShardAssignment assignment, string ext)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 103);
        var options = RelabelTestKit.Options(input, dir.File("single." + ext), batchSize: 8) with { ShardAssignment = assignment };
        new RelabelJob(options).Run();

        const int n = 3;
        var shardPaths = Enumerable.Range(0, n).Select(i => dir.File($"shard{i}.{ext}")).ToArray();
        var shardIds = new List<string?>();
        for (var i = 0; i < n; i++)
        {
            var summary = new RelabelJob(options with { OutputPath = shardPaths[i], Shard = new ShardSpec(i, n) }).Run();
            var ids = SampleRows.ReadAll(shardPaths[i]).Select(r => r.GetText("id")).ToArray();
            Assert.Equal(summary.RowsScored, ids.Length);
            Assert.True(ids.Length > 15, $"shard {i} got only {ids.Length} rows");
            shardIds.AddRange(ids);
        }
        // Every row lands in exactly one shard.
        Assert.Equal(rows.Select(r => r.GetText("id")).OrderBy(x => x), shardIds.OrderBy(x => x));

        var merged = ShardMerger.Merge(options, shardPaths, dir.File("merged." + ext));
        Assert.Equal(103, merged);
        if (ext == "parquet")
            Assert.Equal(SampleRows.ReadAll(dir.File("single." + ext)).Select(r => r.ToString()), SampleRows.ReadAll(dir.File("merged." + ext)).Select(r => r.ToString()));
        else
            Assert.Equal(File.ReadAllBytes(dir.File("single." + ext)), File.ReadAllBytes(dir.File("merged." + ext)));
    }

    [Fact]
    public void Row_index_sharding_gives_even_shares_and_progress_knows_the_shard_total()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 10);
        var progress = new RecordingProgress();
        var summary = new RelabelJob(RelabelTestKit.Options(input, dir.File("s1.jsonl")) with { Shard = new ShardSpec(1, 4) }).Run(progress);
        Assert.Equal(new[] { "r00001", "r00005", "r00009" }, SampleRows.ReadAll(dir.File("s1.jsonl")).Select(r => r["id"]));
        Assert.Equal(3, summary.RowsScored);
        Assert.Equal(3, progress.Reports[^1].TotalRows);
    }

    [Fact]
    public void Shards_that_skip_bad_records_merge_like_a_single_run_that_skips_them()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 40);
        var lines = File.ReadAllLines(input);
        lines[7] = "{broken";
        File.WriteAllLines(input, lines);
        var options = RelabelTestKit.Options(input, dir.File("single.jsonl"), batchSize: 4) with { SkipBadRecords = true };
        new RelabelJob(options).Run();
        var shards = new[] { dir.File("a.jsonl"), dir.File("b.jsonl") };
        for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new ShardSpec(i, 2) }).Run();
        Assert.Equal(39, ShardMerger.Merge(options, shards, dir.File("merged.jsonl")));
        Assert.Equal(File.ReadAllBytes(dir.File("single.jsonl")), File.ReadAllBytes(dir.File("merged.jsonl")));
    }

    [Fact]
    public void An_unfinished_or_misordered_shard_is_reported_and_nothing_is_merged()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 30);
        var options = RelabelTestKit.Options(input, dir.File("unused.jsonl"), batchSize: 4);
        var shards = new[] { dir.File("a.jsonl"), dir.File("b.jsonl") };
        for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new ShardSpec(i, 2) }).Run();

        var swapped = Assert.Throws<DataFileException>(() => ShardMerger.Merge(options, shards.Reverse().ToArray(), dir.File("m.jsonl")));
        Assert.Contains("the output listed as shard 0 holds shard 1 of 2", swapped.Problem);
        var missing = Assert.Throws<DataFileException>(() => ShardMerger.Merge(options, shards[..1], dir.File("m.jsonl")));
        Assert.Contains("written as shard 0 of 2, but 1 shard output(s) were given", missing.Problem);

        var full = File.ReadAllLines(shards[1]);
        File.WriteAllLines(shards[1], full[..10]);
        var shortShard = Assert.Throws<DataFileException>(() => ShardMerger.Merge(options, shards, dir.File("m.jsonl")));
        Assert.Contains("shard 1 ends before input line 22", shortShard.Problem);
        Assert.Contains("re-run shard 1 of 2", shortShard.Fix);
        Assert.False(File.Exists(dir.File("m.jsonl")));
        Assert.False(File.Exists(dir.File("m.jsonl.tmp")));
    }
}
