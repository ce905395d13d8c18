using System.Diagnostics;
using AlignedGen.Decoding;
using AlignedGen.ML;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Issue 6's ML.NET benchmark: rows/s through the ML.NET transformer (IDataView in, cursor over the response column)
/// against TextGenerator.Generate on the same prompts with the same options, models loaded once on both sides.
/// Greedy and ARGS (k = 10) on stories260K + rm-llama-cached; target ratio (transformer / direct) >= 0.95.
/// </summary>
public static class MlNetBenchmark
{
    /// <summary>One prompt per row.</summary>
    public sealed class PromptRow
    {
        public string Prompt { get; set; } = "";
    }

    public static int Run(BenchmarkArgs args)
    {
        int promptCount = args.Quick ? 16 : 64;
        int repeats = args.Quick ? 3 : 7;
        const int newTokens = 32, batch = 16;
        var prompts = PromptSet.Read(args.Data("story-prompts.jsonl"), promptCount);
        var lmFolder = args.Model("stories260K");
        var rmFolder = args.Model("rm-llama-cached");
        var generation = new GenerationOptions(maxNewTokens: newTokens, batchSize: batch);
        var argsOptions = new ArgsOptions(topK: 10);
        Console.WriteLine($"mlnet: stories260K (+ rm-llama-cached for ARGS), {prompts.Length} prompts x up to {newTokens} new tokens, batch {batch}, CPU, {Environment.ProcessorCount} cores, best of {repeats}");

        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(prompts.Select(p => new PromptRow { Prompt = p }).ToArray());
        var requests = GenerationRequest.FromPrompts(prompts);
        using var lm = OnnxCausalLanguageModel.Load(lmFolder);
        using var rm = RewardModelLoader.FromFolder(rmFolder);

        using var greedyTransformer = ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(lmFolder) { Generation = generation }).Fit(data);
        using var argsTransformer = ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt",
            new RewardGuidedDecodingOptions(lmFolder, RewardReference.FromFolder(rmFolder), argsOptions) { Generation = generation }).Fit(data);

        var table = new ResultTable("variant", "path", "rows", "wall s", "rows/s", "CPU s", "rows/CPU s", "ratio (wall)", "ratio (CPU)");
        int rc = 0;
        foreach (var (name, direct, viaMlNet) in new (string, Func<string[]>, Func<string[]>)[]
        {
            ("greedy", () => Texts(new TextGenerator(lm).Generate(requests, SamplingStrategy.Greedy, generation)), () => Column(greedyTransformer.Transform(data))),
            ("ARGS k=10", () => Texts(new TextGenerator(lm, rm).Generate(requests, new ArgsStrategy(argsOptions), generation)), () => Column(argsTransformer.Transform(data))),
        })
        {
            var (d, m) = BestInterleaved(direct, viaMlNet, repeats);
            table.Add(name, "TextGenerator.Generate", prompts.Length, d.Wall, prompts.Length / d.Wall, d.Cpu, prompts.Length / d.Cpu, "", "");
            table.Add(name, "ML.NET transformer", prompts.Length, m.Wall, prompts.Length / m.Wall, m.Cpu, prompts.Length / m.Cpu, $"{d.Wall / m.Wall:F3}", $"{d.Cpu / m.Cpu:F3}");
            var (directTexts, mlTexts) = (d.Texts, m.Texts);
            if (!directTexts.SequenceEqual(mlTexts))
            {
                Console.WriteLine($"ERROR: {name}: the transformer's responses differ from the direct call's.");
                rc = 1;
            }
        }
        Console.WriteLine(table);
        Console.WriteLine("target: transformer / direct >= 0.95 (rows/s); identical responses on both paths");
        if (File.Exists("/proc/loadavg"))
            Console.WriteLine($"load average while measuring (1/5/15 min): {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} on {Environment.ProcessorCount} cores");
        return rc;
    }

    private static string[] Texts(IReadOnlyList<GenerationResult> results) => results.Select(r => r.Text).ToArray();

    private static string[] Column(IDataView view) => view.GetColumn<ReadOnlyMemory<char>>("Response").Select(m => m.ToString()).ToArray();

    /// <summary>
    /// Warms both up, then runs them alternately <paramref name="repeats"/> times each (so load from other processes hits
    /// both alike); per path the fastest wall time, the smallest process CPU time (all threads; steadier than wall time on a
    /// loaded machine) and the output.
    /// </summary>
    private static (Measured, Measured) BestInterleaved(Func<string[]> a, Func<string[]> b, int repeats)
    {
        var ma = new Measured(a());
        var mb = new Measured(b());
        for (int i = 0; i < repeats; i++)
        {
            ma.Run(a);
            mb.Run(b);
        }
        return (ma, mb);
    }

    /// <summary>Best wall and CPU times of one path.</summary>
    private sealed class Measured(string[] texts)
    {
        public double Wall { get; private set; } = double.MaxValue;
        public double Cpu { get; private set; } = double.MaxValue;
        public string[] Texts { get; private set; } = texts;

        public void Run(Func<string[]> run)
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            Texts = run();
            Wall = Math.Min(Wall, sw.Elapsed.TotalSeconds);
            process.Refresh();
            Cpu = Math.Min(Cpu, (process.TotalProcessorTime - cpu).TotalSeconds);
        }
    }
}
