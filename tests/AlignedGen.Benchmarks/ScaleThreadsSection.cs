using AlignedGen.Models;

namespace AlignedGen.Benchmarks;

/// <summary>
/// What the default thread count (<see cref="IntraOpThreadPolicy"/>) rests on: greedy at batch 1 and 16 with one intra-op
/// thread against one per physical core, paired and alternated, on stories260K (per-call-overhead regime) and on the
/// preset's LM (weight-bound regime).
/// </summary>
public static class ScaleThreadsSection
{
    public static ResultTable NewTable() => new("model", "weights", "batch", "prompts x new tokens", "tok/s, 1 thread", "tok/s, cores",
        "paired ratios (cores / 1)", "median", "default picks");

    public static void Run(string name, string folder, string[] stories, ScaleOptions o, ResultTable table)
    {
        int cores = IntraOpThreadPolicy.PhysicalCores();
        long weights = IntraOpThreadPolicy.WeightBytes(Path.Combine(folder, "model.onnx"));
        using var one = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(intraOpThreads: 1));
        using var all = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(intraOpThreads: cores));
        foreach (int batch in new[] { 1, 16 })
        {
            var prompts = ScalePrompts.Build(one.Tokenizer, stories, batch == 1 ? o.SinglePrompts : 16, o.PromptTokens);
            ScaleBenchmark.OursGreedy(one, prompts, batch, 2);
            ScaleBenchmark.OursGreedy(all, prompts, batch, 2);
            var rates = new[] { new List<double>(), new List<double>() };
            var ratios = new List<double>();
            for (int pair = 0; pair < o.Pairs; pair++)
            {
                foreach (int side in pair % 2 == 0 ? new[] { 0, 1 } : new[] { 1, 0 })
                {
                    var run = ScaleBenchmark.Timed(() => ScaleBenchmark.OursGreedy(side == 0 ? one : all, prompts, batch, o.DecodeTokens));
                    rates[side].Add(run.Result.Sum(t => t.Length) / run.Seconds);
                }
                ratios.Add(rates[1][^1] / rates[0][^1]);
            }
            table.Add(name, MachineProbe.Bytes(weights), batch, $"{prompts.Length} x {o.DecodeTokens}", ScaleBenchmark.Median(rates[0]), ScaleBenchmark.Median(rates[1]),
                string.Join(" ", ratios.Select(r => $"{r:F2}x")), $"{ScaleBenchmark.Median(ratios):F2}x", $"{IntraOpThreadPolicy.For(weights, cores)} of {cores}");
            Console.WriteLine($"  threads {name} b{batch}: {cores} threads {ScaleBenchmark.Median(ratios):F2}x one; load average {MachineProbe.LoadAverage()}");
        }
    }
}
