using System.Diagnostics;
using AlignedGen.Decoding;
using AlignedGen.Models;
#if !ALIGNEDGEN_GPU
using Genai = Microsoft.ML.OnnxRuntimeGenAI;
#endif

namespace AlignedGen.Benchmarks;

/// <summary>
/// Issue 12's scale benchmark: random-weight models of the sizes users run (presets built on the fly into the model
/// cache), CPU, one process, side by side. Sections: decode (greedy vs onnxruntime-genai at batch 1 and 16, identical
/// tokens), args (ARGS-greedy k = 10 with a same-size and a quarter-size cached RM against greedy, the bare cost floor and
/// the one-prompt reference structure), bestofn (N = 4, 16) and relabel (sequence-classification RM, batch 1 vs 32);
/// peak RSS and KV-cache sizes throughout. Options: --presets smollm2-135m,qwen2.5-0.5b --formats fp32,int4
/// --sections decode,args,bestofn,relabel (or build: only build the folders) --pairs 3 --model-cache DIR (default $ALIGNEDGEN_MODEL_CACHE or the temp folder).
/// </summary>
public static class ScaleBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        var options = ScaleOptions.Parse(args);
        var stories = PromptSet.Read(args.Data("story-prompts.jsonl"), 400);
        Console.WriteLine($"scale: presets {string.Join(", ", options.Presets)}; formats {string.Join(", ", options.Formats)}; sections {string.Join(", ", options.Sections)}; " +
                          $"{options.Pairs} paired runs; CPU, {Environment.ProcessorCount} cores; load average {MachineProbe.LoadAverage()}");
        var decode = new ResultTable("preset", "weights", "batch", "prompts x new tokens", "AlignedGen tok/s", "genai tok/s", "paired ratios", "median vs genai",
            "identical tokens", "peak RSS AlignedGen", "peak RSS genai", "KV cache per row");
        var argsTable = ScaleArgsSection.NewTable();
        var sampling = ScaleSamplingSection.NewTable();
        foreach (var preset in options.Presets)
        {
            foreach (var format in options.Formats)
            {
                var set = new ScaleModelSet(preset, format, args.SharedPath, options.ModelCache);
                Console.WriteLine($"{preset} {set.FormatName}: load average {MachineProbe.LoadAverage()}");
                if (options.Sections.Contains("build")) set.BuildAll();
#if !ALIGNEDGEN_GPU
                if (options.Sections.Contains("decode")) Decode(set, stories, options, decode);
#endif
                if (options.Sections.Contains("args")) ScaleArgsSection.Run(set, stories, options, argsTable);
                if (options.Sections.Contains("bestofn") || options.Sections.Contains("relabel"))
                    ScaleSamplingSection.Run(set, stories, args, options, sampling);
            }
        }
#if !ALIGNEDGEN_GPU
        if (options.Sections.Contains("decode")) Console.WriteLine("\nGreedy decode, AlignedGen vs " + GenAiGreedy.Label + "\n" + decode);
#endif
        if (options.Sections.Contains("args")) Console.WriteLine("\nARGS-greedy, k = " + options.ArgsK + "\n" + argsTable);
        if (options.Sections.Contains("bestofn") || options.Sections.Contains("relabel")) Console.WriteLine("\nBest-of-N and relabeling\n" + sampling);
        Console.WriteLine($"load average at the end {MachineProbe.LoadAverage()}");
        return 0;
    }

#if !ALIGNEDGEN_GPU // the baseline, onnxruntime-genai, is referenced in the CPU flavour only
    private static void Decode(ScaleModelSet set, string[] stories, ScaleOptions o, ResultTable table)
    {
        using var ours = OnnxCausalLanguageModel.Load(set.LanguageModel);
        using var genai = new Genai.Model(set.LanguageModel);
        var eos = ours.Config.EosTokenIds.ToHashSet();
        long kvPerRow = ScaleModelSet.KeyValueBytesPerPosition(set.Preset) * (o.PromptTokens + o.DecodeTokens);
        foreach (int batch in new[] { 1, 16 })
        {
            var prompts = ScalePrompts.Build(ours.Tokenizer, stories, batch == 1 ? o.SinglePrompts : 16, o.PromptTokens);
            var ids = prompts.Select(p => ours.Tokenizer.Encode(p, addSpecialTokens: false).ToArray()).ToArray();
            OursGreedy(ours, prompts, batch, 2);                        // warm-up: sessions, arenas, thread pools
            GenAiGreedy.Generate(genai, ids, batch, 2, eos);
            var ratios = new List<double>();
            var oursRates = new List<double>();
            var genaiRates = new List<double>();
            long oursPeak = 0, genaiPeak = 0;
            int[][] oursTokens = [], genaiTokens = [];
            for (int pair = 0; pair < o.Pairs; pair++)
            {
                // Alternate which side goes first: a load spike then hits both sides of some pairs, not one side always.
                (int[][] Tokens, double Seconds, long Peak) a = default, b = default;
                if (pair % 2 == 0) { a = Timed(() => OursGreedy(ours, prompts, batch, o.DecodeTokens)); b = Timed(() => GenAiGreedy.Generate(genai, ids, batch, o.DecodeTokens, eos)); }
                else { b = Timed(() => GenAiGreedy.Generate(genai, ids, batch, o.DecodeTokens, eos)); a = Timed(() => OursGreedy(ours, prompts, batch, o.DecodeTokens)); }
                double oursRate = a.Tokens.Sum(t => t.Length) / a.Seconds, genaiRate = b.Tokens.Sum(t => t.Length) / b.Seconds;
                oursRates.Add(oursRate);
                genaiRates.Add(genaiRate);
                ratios.Add(oursRate / genaiRate);
                oursPeak = Math.Max(oursPeak, a.Peak);
                genaiPeak = Math.Max(genaiPeak, b.Peak);
                (oursTokens, genaiTokens) = (a.Tokens, b.Tokens);
            }
            int identical = oursTokens.Zip(genaiTokens).Count(p => p.First.SequenceEqual(p.Second));
            table.Add(set.Preset, set.FormatName, batch, $"{prompts.Length} x {o.DecodeTokens}", Median(oursRates), Median(genaiRates),
                string.Join(" ", ratios.Select(r => $"{r:F2}x")), $"{Median(ratios):F2}x", $"{identical}/{prompts.Length}",
                MachineProbe.Bytes(oursPeak), MachineProbe.Bytes(genaiPeak), MachineProbe.Bytes(kvPerRow));
            Console.WriteLine($"  decode b{batch}: median {Median(ratios):F2}x genai, {identical}/{prompts.Length} identical; load average {MachineProbe.LoadAverage()}");
        }
    }
#endif

    /// <summary>AlignedGen greedy over the prompts at a batch size; the new ids of each prompt.</summary>
    internal static int[][] OursGreedy(ICausalLanguageModel model, string[] prompts, int batch, int newTokens) =>
        new TextGenerator(model).Generate(GenerationRequest.FromPrompts(prompts), SamplingStrategy.Greedy,
            new GenerationOptions(maxNewTokens: newTokens, batchSize: batch, addSpecialTokens: false)).Select(r => r.TokenIds.ToArray()).ToArray();

    /// <summary>Runs <paramref name="work"/> once: its result, wall seconds, and the process's peak resident bytes while it ran.</summary>
    internal static (T Result, double Seconds, long Peak) Timed<T>(Func<T> work)
    {
        MachineProbe.ResetPeak();
        var clock = Stopwatch.StartNew();
        var result = work();
        return (result, clock.Elapsed.TotalSeconds, MachineProbe.PeakResidentBytes());
    }

    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
