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
            new RewardGuidedDecodingOptions(lmFolder, RewardSpec.FromFolder(rmFolder), argsOptions) { Generation = generation }).Fit(data);

        var table = new ResultTable("variant", "path", "rows", "seconds", "rows/s", "transformer / direct");
        int rc = 0;
        foreach (var (name, direct, viaMlNet) in new (string, Func<string[]>, Func<string[]>)[]
        {
            ("greedy", () => Texts(new TextGenerator(lm).Generate(requests, SamplingStrategy.Greedy, generation)), () => Column(greedyTransformer.Transform(data))),
            ("ARGS k=10", () => Texts(new TextGenerator(lm, rm).Generate(requests, new ArgsStrategy(argsOptions), generation)), () => Column(argsTransformer.Transform(data))),
        })
        {
            var ((directSecs, directTexts), (mlSecs, mlTexts)) = BestInterleaved(direct, viaMlNet, repeats);
            double ratio = directSecs / mlSecs;
            table.Add(name, "TextGenerator.Generate", prompts.Length, directSecs, prompts.Length / directSecs, "");
            table.Add(name, "ML.NET transformer", prompts.Length, mlSecs, prompts.Length / mlSecs, $"{ratio:F3}");
            if (!directTexts.SequenceEqual(mlTexts))
            {
                Console.WriteLine($"ERROR: {name}: the transformer's responses differ from the direct call's.");
                rc = 1;
            }
        }
        Console.WriteLine(table);
        Console.WriteLine("target: transformer / direct >= 0.95 (rows/s); identical responses on both paths");
        return rc;
    }

    private static string[] Texts(IReadOnlyList<GenerationResult> results) => results.Select(r => r.Text).ToArray();

    private static string[] Column(IDataView view) => view.GetColumn<ReadOnlyMemory<char>>("Response").Select(m => m.ToString()).ToArray();

    /// <summary>
    /// Warms both up, then runs them alternately <paramref name="repeats"/> times each (so load from other processes hits
    /// both alike); the fastest time of each and its output.
    /// </summary>
    private static ((double, string[]), (double, string[])) BestInterleaved(Func<string[]> a, Func<string[]> b, int repeats)
    {
        var textsA = a();
        var textsB = b();
        double bestA = double.MaxValue, bestB = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            textsA = a();
            bestA = Math.Min(bestA, sw.Elapsed.TotalSeconds);
            sw.Restart();
            textsB = b();
            bestB = Math.Min(bestB, sw.Elapsed.TotalSeconds);
        }
        return ((bestA, textsA), (bestB, textsB));
    }
}
