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
/// --sections decode,args,bestofn,relabel (also: threads, one intra-op thread against one per core; build: only build the folders) --pairs 3 --model-cache DIR (default $ALIGNEDGEN_MODEL_CACHE or the temp folder).
/// </summary>
public static class ScaleBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        var options = ScaleOptions.Parse(args);
        var stories = PromptSet.Read(args.Data("story-prompts.jsonl"), 400);
        Console.WriteLine($"scale: presets {string.Join(", ", options.Presets)}; formats {string.Join(", ", options.Formats)}; sections {string.Join(", ", options.Sections)}; " +
                          $"{options.Pairs} paired runs; CPU, {Environment.ProcessorCount} cores; load average {MachineProbe.LoadAverage()}");
        var decode = new ResultTable("preset", "weights", "batch", "prompts x new tokens", "threads", "AlignedGen tok/s", "genai tok/s (same threads)", "genai tok/s (as shipped)",
            "paired ratios (same threads)", "median vs genai (same threads)", "median vs genai (as shipped)", "identical tokens", "peak RSS AlignedGen", "peak RSS genai", "KV cache per row");
        var argsTable = ScaleArgsSection.NewTable();
        var sampling = ScaleSamplingSection.NewTable();
        var threads = ScaleThreadsSection.NewTable();
        if (options.Sections.Contains("threads")) ScaleThreadsSection.Run("stories260K", args.Model("stories260K"), stories, options, threads);
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
                if (options.Sections.Contains("threads")) ScaleThreadsSection.Run($"{preset} {set.FormatName}", set.LanguageModel, stories, options, threads);
                if (options.Sections.Contains("args")) ScaleArgsSection.Run(set, stories, options, argsTable);
                if (options.Sections.Contains("bestofn") || options.Sections.Contains("relabel"))
                    ScaleSamplingSection.Run(set, stories, args, options, sampling);
            }
        }
#if !ALIGNEDGEN_GPU
        if (options.Sections.Contains("decode")) Console.WriteLine("\nGreedy decode, AlignedGen vs " + GenAiGreedy.Label + "\n" + decode);
#endif
        if (options.Sections.Contains("threads")) Console.WriteLine("\nIntra-op threads: one against one per physical core (greedy)\n" + threads);
        if (options.Sections.Contains("args")) Console.WriteLine("\nARGS-greedy, k = " + options.ArgsK + "\n" + argsTable);
        if (options.Sections.Contains("bestofn") || options.Sections.Contains("relabel")) Console.WriteLine("\nBest-of-N and relabeling\n" + sampling);
        Console.WriteLine($"load average at the end {MachineProbe.LoadAverage()}");
        return 0;
    }

#if !ALIGNEDGEN_GPU // the baseline, onnxruntime-genai, is referenced in the CPU flavour only
    /// <summary>
    /// Greedy, AlignedGen (its default threads: one per physical core for models this size) against onnxruntime-genai on
    /// the same folder twice: told to use the same number of intra-op threads (the like-for-like ratio) and as it ships
    /// (its own default, which on the 2-core machine is one thread: what a genai user gets without tuning). Each pair runs
    /// the three in a rotating order.
    /// </summary>
    private static void Decode(ScaleModelSet set, string[] stories, ScaleOptions o, ResultTable table)
    {
        using var ours = OnnxCausalLanguageModel.Load(set.LanguageModel);
        int threads = IntraOpThreadPolicy.For(IntraOpThreadPolicy.WeightBytes(Path.Combine(set.LanguageModel, "model.onnx")));
        using var genaiConfig = new Genai.Config(set.LanguageModel);
        genaiConfig.Overlay("{\"model\":{\"decoder\":{\"session_options\":{\"intra_op_num_threads\":" + threads + "}}}}");
        using var genai = new Genai.Model(genaiConfig);
        using var genaiShipped = new Genai.Model(set.LanguageModel);
        var eos = ours.Config.EosTokenIds.ToHashSet();
        long kvPerRow = ScaleModelSet.KeyValueBytesPerPosition(set.Preset) * (o.PromptTokens + o.DecodeTokens);
        foreach (int batch in new[] { 1, 16 })
        {
            var prompts = ScalePrompts.Build(ours.Tokenizer, stories, batch == 1 ? o.SinglePrompts : 16, o.PromptTokens);
            var ids = prompts.Select(p => ours.Tokenizer.Encode(p, addSpecialTokens: false).ToArray()).ToArray();
            var sides = new Func<int[][]>[]
            {
                () => OursGreedy(ours, prompts, batch, o.DecodeTokens),
                () => GenAiGreedy.Generate(genai, ids, batch, o.DecodeTokens, eos),
                () => GenAiGreedy.Generate(genaiShipped, ids, batch, o.DecodeTokens, eos),
            };
            OursGreedy(ours, prompts, batch, 2);                        // warm-up: sessions, arenas, thread pools
            GenAiGreedy.Generate(genai, ids, batch, 2, eos);
            GenAiGreedy.Generate(genaiShipped, ids, batch, 2, eos);
            var rates = new[] { new List<double>(), new List<double>(), new List<double>() };
            var peaks = new long[3];
            var tokens = new int[3][][];
            var same = new List<double>();
            var shipped = new List<double>();
            for (int pair = 0; pair < o.Pairs; pair++)
            {
                // Rotate the order: a load spike or a warm cache then favours each side in some runs, not one side always.
                for (int turn = 0; turn < 3; turn++)
                {
                    int side = (turn + pair) % 3;
                    var run = Timed(sides[side]);
                    rates[side].Add(run.Result.Sum(t => t.Length) / run.Seconds);
                    peaks[side] = Math.Max(peaks[side], run.Peak);
                    tokens[side] = run.Result;
                }
                same.Add(rates[0][^1] / rates[1][^1]);
                shipped.Add(rates[0][^1] / rates[2][^1]);
            }
            int identical = Enumerable.Range(0, prompts.Length).Count(i => tokens[0][i].SequenceEqual(tokens[1][i]) && tokens[0][i].SequenceEqual(tokens[2][i]));
            table.Add(set.Preset, set.FormatName, batch, $"{prompts.Length} x {o.DecodeTokens}", threads, Median(rates[0]), Median(rates[1]), Median(rates[2]),
                string.Join(" ", same.Select(r => $"{r:F2}x")), $"{Median(same):F2}x", $"{Median(shipped):F2}x", $"{identical}/{prompts.Length}",
                MachineProbe.Bytes(peaks[0]), MachineProbe.Bytes(Math.Max(peaks[1], peaks[2])), MachineProbe.Bytes(kvPerRow));
            Console.WriteLine($"  decode b{batch}: median {Median(same):F2}x genai at {threads} threads, {Median(shipped):F2}x genai as shipped, {identical}/{prompts.Length} identical; load average {MachineProbe.LoadAverage()}");
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
