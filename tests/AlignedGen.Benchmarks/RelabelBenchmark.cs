using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Offline relabeling throughput: story-samples (prompt, response) rows scored by the trained reward models
/// (rm-llama-seqcls, rm-wordpiece) at batch 1 and 32, end to end through RelabelJob (JSONL in/out, fsync per batch); plus the same
/// rows with a free reward (response length) to show the pipeline's own overhead, with and without fsync per batch.
/// </summary>
public static class RelabelBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        var rows = args.Quick ? 256 : 2000;
        var batches = new[] { 1, 32 };
        var sample = ReadQueries(args.Data("story-samples.jsonl"));
        var work = Path.Combine(Path.GetTempPath(), "alignedgen-relabel-bench-" + Environment.ProcessId);
        Console.WriteLine($"relabel: {rows} rows of story-samples, batch {string.Join(" vs ", batches)}, CPU, {Environment.ProcessorCount} cores");
        try
        {
            var table = new ResultTable("reward", "batch", "rows", "score calls", "seconds", "rows/s", "x batch 1");
            foreach (var model in new[] { "rm-llama-seqcls", "rm-wordpiece" })
            {
                using var rm = RewardModelLoader.FromFolder(args.Model(model));
                AddRows(table, model, RelabelThroughput.Measure(rm, sample, rows, batches, work));
            }
            AddRows(table, "length (no model), fsync", RelabelThroughput.Measure(new LengthReward(), sample, rows * 5, batches, work));
            AddRows(table, "length (no model), no fsync", RelabelThroughput.Measure(new LengthReward(), sample, rows * 5, batches, work, syncToDisk: false));
            Console.WriteLine(table);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    private static void AddRows(ResultTable table, string name, IReadOnlyList<RelabelThroughputResult> results)
    {
        var baseline = results[0].RowsPerSecond;
        foreach (var r in results)
            table.Add(name, r.BatchSize, r.Rows, r.ScoreCalls, r.Elapsed.TotalSeconds, r.RowsPerSecond, $"{r.RowsPerSecond / baseline:F2}x");
    }

    private static IReadOnlyList<RewardQuery> ReadQueries(string path)
    {
        using var reader = RecordFiles.OpenReader(path);
        var queries = new List<RewardQuery>();
        for (var row = reader.Read(); row is not null; row = reader.Read())
            queries.Add(new RewardQuery(row.GetText("prompt")!, row.GetText("response")!));
        return queries;
    }

    private sealed class LengthReward : IRewardSource
    {
        public string Name => "length";

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default) =>
            queries.Select(q => (float)q.Response.Length).ToArray();
    }
}
