using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>The benchmark hook: real jobs per batch size, a fresh source per run when asked, best of alternating rounds.</summary>
public sealed class RelabelThroughputTests
{
    private static readonly RewardQuery[] Sample =
    {
        new("p1", "short"), new("p1", "a longer response"), new("p2", "mid size"), new("p3", ""),
    };

    [Fact]
    public void Each_run_gets_a_fresh_source_and_the_outputs_agree()
    {
        using var dir = new TempFolder();
        var created = new List<FakeRewardSource>();
        var results = RelabelThroughput.Measure(() =>
        {
            var source = new FakeRewardSource();
            created.Add(source);
            return source;
        }, Sample, rows: 22, batchSizes: new[] { 1, 4 }, dir.Path, rounds: 2, syncToDisk: false);

        // One warm-up source, then one per run: 2 rounds × 2 batch sizes.
        Assert.Equal(5, created.Count);
        Assert.Equal(new[] { 4 }, created[0].CallSizes);
        Assert.Equal(Enumerable.Repeat(1, 22), created[1].CallSizes);
        Assert.Equal(new[] { 4, 4, 4, 4, 4, 2 }, created[2].CallSizes);
        Assert.Equal(new[] { 1, 4 }, results.Select(r => r.BatchSize));
        Assert.Equal(new[] { 22, 6 }, results.Select(r => r.ScoreCalls));
        Assert.All(results, r =>
        {
            Assert.Equal(22, r.Rows);
            Assert.InRange(r.SourceTime, TimeSpan.Zero, r.Elapsed);
            Assert.InRange(r.SourceShare, 0, 1);
        });
        Assert.Equal(File.ReadAllBytes(results[0].OutputPath!), File.ReadAllBytes(results[1].OutputPath!));
        var rows = SampleRows.ReadAll(results[1].OutputPath!);
        Assert.Equal(22, rows.Count);
        Assert.Equal(Enumerable.Range(0, 22).Select(i => (double)Sample[i % Sample.Length].Response.Length), rows.Select(r => r.GetNumber("reward")!.Value));
    }

    [Fact]
    public void The_single_source_overload_reuses_the_caller_source()
    {
        using var dir = new TempFolder();
        var source = new FakeRewardSource();
        var results = RelabelThroughput.Measure(source, Sample, rows: 8, batchSizes: new[] { 2 }, dir.Path, syncToDisk: false);
        Assert.Equal(4, results.Single().ScoreCalls);
        Assert.Equal(new[] { 2, 2, 2, 2, 2 }, source.CallSizes); // warm-up of 2, then 4 calls of 2
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        using var dir = new TempFolder();
        Assert.Equal("rounds", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RelabelThroughput.Measure(() => new FakeRewardSource(), Sample, 4, new[] { 1 }, dir.Path, rounds: 0)).ParamName);
        Assert.Equal("batchSizes", Assert.Throws<ArgumentException>(() =>
            RelabelThroughput.Measure(() => new FakeRewardSource(), Sample, 4, new[] { 0 }, dir.Path, rounds: 1)).ParamName);
        Assert.Equal("sample", Assert.Throws<ArgumentException>(() =>
            RelabelThroughput.Measure(() => new FakeRewardSource(), Array.Empty<RewardQuery>(), 4, new[] { 1 }, dir.Path, rounds: 1)).ParamName);
    }
}
