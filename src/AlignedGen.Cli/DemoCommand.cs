using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli;

/// <summary>
/// The main job on the embedded default: builds the tiny demo model (a byte-level bigram LM written by the model
/// builder — no download), then runs greedy, sampling, Best-of-4 and ARGS over a handful of prompts, all judged by the
/// proxy reward (length × repetition × MiniLM relevance), and prints a comparison table.
/// </summary>
public static class DemoCommand
{
    private static readonly string[] Prompts =
    {
        "The little boat sailed",
        "In the morning the farmer",
        "A good friend is someone who",
        "The children walked to the",
        "When the rain stopped, the",
    };

    /// <summary>
    /// ARGS's reward weight in the demo. The proxy reward lives on a 0–0.1 scale and one byte changes it by ~0.001,
    /// while the bigram logits of the top candidates differ by units, so w must be large for the reward to steer.
    /// </summary>
    public const double DemoWeight = 1000;

    public static int Run(CliArguments a, TextWriter output)
    {
        int count = Math.Clamp(a.GetInt("--prompts", Prompts.Length), 1, Prompts.Length);
        int maxNew = a.GetInt("--max-new-tokens", 48);
        int seed = a.GetInt("--seed", 7);
        double weight = a.GetDouble("--w", DemoWeight);
        output.WriteLine("AlignedGen demo — decoding-time alignment on the embedded default model.");
        output.WriteLine("The demo LM is TINY: a byte-level bigram model built from a 4.7 KB corpus (it writes pseudo-English);");
        output.WriteLine("real model folders (Hugging Face Optimum or onnxruntime-genai ONNX exports) work with 'aligngen generate --model DIR'.");
        var folder = DefaultModels.EnsureDemoModel();
        using var model = OnnxCausalLanguageModel.Load(folder);
        using var reward = ProxyRewardSource.CreateDefault();
        output.WriteLine($"model: {folder} ({model.Config.VocabularySize} tokens, {model.LayerCount} layers); reward: {reward.Name} (all-MiniLM-L6-v2 embeddings)");
        output.WriteLine($"{count} prompts, up to {maxNew} new tokens, seed {seed}; ARGS k = 10, w = {weight} (the proxy reward's scale is ~0.01)");
        output.WriteLine();

        var generator = new TextGenerator(model, reward);
        var requests = GenerationRequest.FromPrompts(Prompts.Take(count));
        var options = new GenerationOptions(maxNewTokens: maxNew, batchSize: count, seed: seed);
        var strategies = new IDecodingStrategy[]
        {
            SamplingStrategy.Greedy,
            new SamplingStrategy(new SamplingOptions(temperature: 0.7)),
            new BestOfNStrategy(new BestOfNOptions(n: 4)),
            new ArgsStrategy(new ArgsOptions(topK: 10, weight: weight)),
        };
        var runs = new List<(string, IReadOnlyList<GenerationResult>)>();
        foreach (var strategy in strategies)
        {
            var results = generator.Generate(requests, strategy, options);
            // Greedy and sampling have no reward of their own: score them with the same reward for the table.
            if (results.Any(r => r.Reward is null))
            {
                var scores = RewardChecks.ScoreChecked(reward, results.Select(r => new RewardQuery(r.Prompt, r.Text)).ToArray());
                results = results.Select((r, i) => r with { Reward = scores[i] }).ToArray();
            }
            runs.Add((strategy.Name, results));
        }
        ResultPrinter.Summary(output, runs);
        output.WriteLine();
        output.WriteLine($"Prompt: \"{Prompts[0]}\"");
        foreach (var (name, results) in runs)
            output.WriteLine($"  {name,-14} {ResultPrinter.OneLine(results[0].Text)}");
        return 0;
    }
}
