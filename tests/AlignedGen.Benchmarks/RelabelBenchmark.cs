using AlignedGen.Data;
using AlignedGen.Models;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Offline relabeling throughput: the 4,000 story-samples (prompt, response) rows scored by the trained reward models
/// (rm-llama-seqcls, rm-wordpiece) and the proxy reward (MiniLM embeddings) at batch 1 and 32, end to end through
/// RelabelJob (JSONL in/out), with fsync per batch (the job's default) and without; a free reward (response length)
/// shows the pipeline's own cost. Then <see cref="RewardCallCost"/>: per-call overhead vs per-token cost of each source,
/// which bounds what batching can gain.
/// </summary>
public static class RelabelBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        var sample = ReadQueries(args.Data("story-samples.jsonl"));
        var rows = args.Quick ? 256 : sample.Count;
        var rounds = args.Quick ? 1 : 3;
        var proxyRounds = args.Quick ? 1 : 2;
        var batches = new[] { 1, 32 };
        var work = Path.Combine(Path.GetTempPath(), "alignedgen-relabel-bench-" + Environment.ProcessId);
        Console.WriteLine($"relabel: {rows} rows of story-samples, batch {string.Join(" vs ", batches)}, CPU, {Environment.ProcessorCount} cores, " +
                          $"best of {rounds} alternating runs ({proxyRounds} for the proxy); load average {MachineProbe.LoadAverage()}");
        try
        {
            var table = new ResultTable("reward", "fsync per batch", "batch", "rows", "score calls", "seconds", "rows/s", "x batch 1", "time in reward source", "b32 vs b1 scores");
            foreach (var model in new[] { "rm-llama-seqcls", "rm-wordpiece" })
            {
                using var rm = RewardModelLoader.FromFolder(args.Model(model));
                foreach (var fsync in new[] { true, false })
                    AddRows(table, model, fsync, RelabelThroughput.Measure(() => rm, sample, rows, batches, work, rounds, fsync));
                Console.WriteLine($"  {model} done; load average {MachineProbe.LoadAverage()}");
            }
            using (var embedder = MiniLmSentenceEmbedder.Create())
            {
                // A fresh proxy source per run: its anchor (prompt) embedding cache starts empty each time; the embedder is shared.
                AddRows(table, $"proxy ({embedder.Name})", true, RelabelThroughput.Measure(() => new ProxyRewardSource(embedder), sample, rows, batches, work, proxyRounds));
                Console.WriteLine($"  proxy done; load average {MachineProbe.LoadAverage()}");
            }
            foreach (var fsync in new[] { true, false })
                AddRows(table, "length (no model)", fsync, RelabelThroughput.Measure(() => new LengthReward(), sample, rows, batches, work, rounds, fsync));
            Console.WriteLine(table);
            Console.WriteLine($"load average after the relabel runs: {MachineProbe.LoadAverage()}");

            Console.WriteLine("cost of one call: shortest input, each of 32 rows alone, and the same 32 rows in one call (model only, no job)");
            var oneThread = new ExecutionOptions(intraOpThreads: 1);
            using var llama = RewardModelLoader.FromFolder(args.Model("rm-llama-seqcls"), new RewardModelOptions { Execution = oneThread });
            using var llamaFewest = RewardModelLoader.FromFolder(args.Model("rm-llama-seqcls"), new RewardModelOptions { Execution = oneThread, CallOverheadTokens = int.MaxValue });
            using var llama2 = RewardModelLoader.FromFolder(args.Model("rm-llama-seqcls"));
            using var wordpiece = RewardModelLoader.FromFolder(args.Model("rm-wordpiece"), new RewardModelOptions { Execution = oneThread });
            using var wordpiece2 = RewardModelLoader.FromFolder(args.Model("rm-wordpiece"));
            using var minilm = MiniLmSentenceEmbedder.Create(new SentenceEmbedderOptions { Execution = oneThread });
            using var minilmFewest = MiniLmSentenceEmbedder.Create(new SentenceEmbedderOptions { Execution = oneThread, CallOverheadTokens = int.MaxValue });
            using var minilm2 = MiniLmSentenceEmbedder.Create();
            var rmRounds = args.Quick ? 5 : 15;
            var embedderRounds = args.Quick ? 2 : 5;
            const string split = "1 thread, batches cut by length", fewest = "1 thread, fewest runs (before)", defaults = "defaults (2 threads)";
            var subjects = new[]
            {
                RewardCallCost.ForRewardModel(llama, split, rmRounds),
                RewardCallCost.ForRewardModel(llamaFewest, fewest, rmRounds),
                RewardCallCost.ForRewardModel(llama2, defaults, rmRounds),
                RewardCallCost.ForRewardModel(wordpiece, split, rmRounds),
                RewardCallCost.ForRewardModel(wordpiece2, defaults, rmRounds),
                RewardCallCost.ForEmbedder(minilm, split, embedderRounds),
                RewardCallCost.ForEmbedder(minilmFewest, fewest, embedderRounds),
                RewardCallCost.ForEmbedder(minilm2, defaults, embedderRounds),
            };
            Console.WriteLine(RewardCallCost.Measure(subjects, sample));
            Console.WriteLine($"load average at the end: {MachineProbe.LoadAverage()}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    private static void AddRows(ResultTable table, string name, bool fsync, IReadOnlyList<RelabelThroughputResult> results)
    {
        var baseline = results[0];
        foreach (var r in results)
        {
            var check = r == baseline ? "" : CompareScores(baseline.OutputPath!, r.OutputPath!);
            table.Add(name, fsync ? "yes" : "no", r.BatchSize, r.Rows, r.ScoreCalls, r.Elapsed.TotalSeconds, r.RowsPerSecond,
                $"{r.RowsPerSecond / baseline.RowsPerSecond:F2}x", $"{100 * r.SourceShare:F0}%", check);
        }
    }

    /// <summary>"identical" when the two outputs are the same bytes, else the largest difference of the reward column.</summary>
    private static string CompareScores(string a, string b)
    {
        if (File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b))) return "identical";
        using var ra = RecordFiles.OpenReader(a);
        using var rb = RecordFiles.OpenReader(b);
        double max = 0;
        for (DataRow? x = ra.Read(), y = rb.Read(); x is not null && y is not null; x = ra.Read(), y = rb.Read())
            max = Math.Max(max, Math.Abs(x.GetNumber("reward")!.Value - y.GetNumber("reward")!.Value));
        return $"max diff {max:G2}";
    }

    internal static IReadOnlyList<RewardQuery> ReadQueries(string path)
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
