using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// ARGS-greedy at scale: per-token cost against greedy at the same batch size, against its cost floor measured in the
/// same run (a bare LM step over the rows plus a bare RM step over the rows × k candidates, paired and alternated), and
/// against the one-prompt reference structure; with a cached RM of the LM's size and one of a quarter of it.
/// </summary>
public static class ScaleArgsSection
{
    public static ResultTable NewTable() => new("preset", "weights", "reward model", "batch", "variant", "tokens", "ms/token",
        "x greedy (same batch)", "x floor (paired median)", "peak RSS", "RM k-fold cache");

    public static void Run(ScaleModelSet set, string[] stories, ScaleOptions o, ResultTable table)
    {
        using var lm = OnnxCausalLanguageModel.Load(set.LanguageModel);
        int k = o.ArgsK, n = o.ArgsTokens;
        var promptsFor = new Dictionary<int, string[]>
        {
            [1] = ScalePrompts.Build(lm.Tokenizer, stories, o.SinglePrompts, o.PromptTokens),
            [16] = ScalePrompts.Build(lm.Tokenizer, stories, 16, o.PromptTokens),
        };
        var greedyPerToken = new Dictionary<int, double>();
        foreach (var (batch, prompts) in promptsFor)
        {
            ScaleBenchmark.OursGreedy(lm, prompts[..batch], batch, 2);
            var run = ScaleBenchmark.Timed(() => ScaleBenchmark.OursGreedy(lm, prompts, batch, n));
            long tokens = run.Result.Sum(t => (long)t.Length);
            greedyPerToken[batch] = run.Seconds / tokens;
            table.Add(set.Preset, set.FormatName, "-", batch, "greedy (no reward)", tokens, 1000 * greedyPerToken[batch], "1.00x", "", MachineProbe.Bytes(run.Peak), "");
        }

        var strategy = new ArgsStrategy(new ArgsOptions(topK: k, weight: 1.0));
        foreach (var (label, folder, rmPreset) in new[]
                 {
                     ("same size", set.CachedRewardModel, set.Preset),
                     ("quarter size", set.QuarterRewardModel, set.Preset + "-quarter"),
                 })
        {
            using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(folder);
            long rmBytesPerPosition = ScaleModelSet.KeyValueBytesPerPosition(rmPreset);
            foreach (var (batch, prompts) in promptsFor)
            {
                var ids = prompts.Select(p => (IReadOnlyList<int>)lm.Tokenizer.Encode(p, addSpecialTokens: false)).ToArray();
                var generator = new TextGenerator(lm, rm);
                var options = new GenerationOptions(maxNewTokens: n, batchSize: batch, addSpecialTokens: false);
                generator.Generate(GenerationRequest.FromPrompts(prompts[..batch]), strategy, options);   // warm-up
                var argsRuns = new List<(double PerToken, long Tokens, long Peak)>();
                var floorRuns = new List<(double PerToken, long Tokens, long Peak)>();
                var ratios = new List<double>();
                for (int pair = 0; pair < o.Pairs; pair++)
                {
                    (double, long, long) Args()
                    {
                        var r = ScaleBenchmark.Timed(() => generator.Generate(GenerationRequest.FromPrompts(prompts), strategy, options));
                        long t = r.Result.Sum(x => (long)x.TokenIds.Count);
                        return (r.Seconds / t, t, r.Peak);
                    }
                    (double, long, long) Floor()
                    {
                        var r = ScaleBenchmark.Timed(() => ArgsBenchmark.Floor(lm, rm, ids, k, n, batch));
                        long t = r.Result.Sum(x => (long)x.Count);
                        return (r.Seconds / t, t, r.Peak);
                    }
                    var (a, f) = pair % 2 == 0 ? (Args(), Floor()) : Swap(Floor(), Args());
                    argsRuns.Add(a);
                    floorRuns.Add(f);
                    ratios.Add(a.Item1 / f.Item1);
                }
                double argsMs = 1000 * ScaleBenchmark.Median(argsRuns.Select(r => r.PerToken).ToArray());
                double floorMs = 1000 * ScaleBenchmark.Median(floorRuns.Select(r => r.PerToken).ToArray());
                long kFold = (long)batch * k * (o.PromptTokens + n) * rmBytesPerPosition;
                table.Add(set.Preset, set.FormatName, label, batch, "ARGS fast (cached RM)", argsRuns[0].Tokens, argsMs, $"{argsMs / 1000 / greedyPerToken[batch]:F2}x",
                    $"{ScaleBenchmark.Median(ratios):F2}x ({string.Join(" ", ratios.Select(r => $"{r:F2}"))})", MachineProbe.Bytes(argsRuns.Max(r => r.Peak)), MachineProbe.Bytes(kFold));
                table.Add(set.Preset, set.FormatName, label, batch, $"floor: LM step x{batch} + RM step x{batch * k}", floorRuns[0].Tokens, floorMs,
                    $"{floorMs / 1000 / greedyPerToken[batch]:F2}x", "1.00x", MachineProbe.Bytes(floorRuns.Max(r => r.Peak)), MachineProbe.Bytes(kFold));
                Console.WriteLine($"  args {label} b{batch}: {argsMs:F0} ms/token, {ScaleBenchmark.Median(ratios):F2}x floor; load average {MachineProbe.LoadAverage()}");
            }
            if (label == "same size")
            {
                var single = promptsFor[1];
                var reference = ScaleBenchmark.Timed(() => single.Select(p => ArgsBenchmark.ReferenceStructure(lm, rm, lm.Tokenizer.Encode(p, addSpecialTokens: false), k, 1.0, n)).ToArray());
                long tokens = reference.Result.Sum(t => (long)t.Count);
                double ms = 1000 * reference.Seconds / tokens;
                table.Add(set.Preset, set.FormatName, label, 1, "reference structure (RM prefilled k times, one prompt)", tokens, ms,
                    $"{ms / 1000 / greedyPerToken[1]:F2}x", "", MachineProbe.Bytes(reference.Peak), MachineProbe.Bytes((long)k * (o.PromptTokens + n) * rmBytesPerPosition));
            }
        }
    }

    private static (T, T) Swap<T>(T first, T second) => (second, first);
}
