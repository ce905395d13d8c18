using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Best-of-N (N = 4, 16; every sample scored by the sequence-classification RM) against greedy per token, and offline
/// relabeling with that RM at batch 1 vs 32 through <see cref="RelabelThroughput"/> (JSONL in and out, no fsync).
/// </summary>
public static class ScaleSamplingSection
{
    public static ResultTable NewTable() => new("preset", "weights", "variant", "batch / rows", "tokens or rows", "seconds",
        "ms/token or rows/s", "ratio", "peak RSS", "note");

    public static void Run(ScaleModelSet set, string[] stories, BenchmarkArgs args, ScaleOptions o, ResultTable table)
    {
        using var seqcls = RewardModelLoader.FromFolder(set.SequenceClassifier);
        if (o.Sections.Contains("bestofn")) BestOfN(set, stories, o, seqcls, table);
        if (o.Sections.Contains("relabel")) Relabel(set, args, o, seqcls, table);
    }

    private static void BestOfN(ScaleModelSet set, string[] stories, ScaleOptions o, IRewardSource reward, ResultTable table)
    {
        using var lm = OnnxCausalLanguageModel.Load(set.LanguageModel);
        var prompts = ScalePrompts.Build(lm.Tokenizer, stories, o.SinglePrompts, o.PromptTokens);
        int n = o.ArgsTokens;
        var greedy = ScaleBenchmark.Timed(() => ScaleBenchmark.OursGreedy(lm, prompts, 1, n));
        double greedyPerToken = greedy.Seconds / greedy.Result.Sum(t => t.Length);
        table.Add(set.Preset, set.FormatName, "greedy", 1, greedy.Result.Sum(t => t.Length), greedy.Seconds, 1000 * greedyPerToken, "1.00x", MachineProbe.Bytes(greedy.Peak), "");
        var generator = new TextGenerator(lm, reward);
        foreach (int samples in new[] { 4, 16 })
        {
            var strategy = new BestOfNStrategy(new BestOfNOptions(samples, keepAll: true));
            var options = new GenerationOptions(maxNewTokens: n, batchSize: 1, addSpecialTokens: false, seed: 7);
            generator.Generate(GenerationRequest.FromPrompts(prompts[..1]), strategy, options);   // warm-up
            var run = ScaleBenchmark.Timed(() => generator.Generate(GenerationRequest.FromPrompts(prompts), strategy, options));
            long tokens = run.Result.Sum(r => r.Alternatives.Sum(a => (long)a.TokenIds.Count));
            double perToken = run.Seconds / tokens;
            table.Add(set.Preset, set.FormatName, $"best-of-{samples} (sampling T=0.7, all samples scored)", $"1 prompt = {samples} rows", tokens, run.Seconds,
                1000 * perToken, $"{perToken / greedyPerToken:F2}x greedy b1 per token", MachineProbe.Bytes(run.Peak),
                $"{run.Seconds / prompts.Length:F1} s per prompt vs greedy {greedy.Seconds / prompts.Length:F1} s");
            Console.WriteLine($"  best-of-{samples}: {1000 * perToken:F0} ms per sampled token; load average {MachineProbe.LoadAverage()}");
        }
    }

    private static void Relabel(ScaleModelSet set, BenchmarkArgs args, ScaleOptions o, IRewardSource reward, ResultTable table)
    {
        var sample = RelabelBenchmark.ReadQueries(args.Data("story-samples.jsonl")).Take(o.RelabelRows).ToArray();
        var work = Path.Combine(Path.GetTempPath(), "alignedgen-scale-relabel-" + Environment.ProcessId);
        try
        {
            MachineProbe.ResetPeak();
            var results = RelabelThroughput.Measure(() => reward, sample, o.RelabelRows, [1, 32], work, rounds: o.Pairs, syncToDisk: false);
            long peak = MachineProbe.PeakResidentBytes();
            foreach (var r in results)
                table.Add(set.Preset, set.FormatName, "relabel (seqcls RM, JSONL, no fsync)", r.BatchSize, r.Rows, r.Elapsed.TotalSeconds, r.RowsPerSecond,
                    $"{r.RowsPerSecond / results[0].RowsPerSecond:F2}x batch 1", MachineProbe.Bytes(peak), $"{r.SourceShare:P0} in the RM; best of {o.Pairs}");
            Console.WriteLine($"  relabel: batch 32 {results[^1].RowsPerSecond / results[0].RowsPerSecond:F2}x batch 1; load average {MachineProbe.LoadAverage()}");
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
