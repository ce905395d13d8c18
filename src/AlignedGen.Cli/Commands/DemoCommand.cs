using System.CommandLine;
using AlignedGen.Cli.Options;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// The main job on the embedded default: builds the small story model (a word-level 4-gram model written by the
/// project's own ONNX builder from the English text it carries — no download), then runs greedy, sampling, Best-of-4 and ARGS over a handful of prompts, all
/// judged by the proxy reward (length × repetition × MiniLM relevance), and prints a comparison table.
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
    /// ARGS's reward weight in the demo. The proxy reward lives on a 0–0.5 scale and one word changes it by ~0.001–0.01,
    /// while the story model's logits of the top candidates differ by units, so w must be large for the reward to steer.
    /// </summary>
    public const double DemoWeight = 1000;

    public const int DefaultMaxNewTokens = 32;
    public const int DefaultSeed = 7;

    /// <summary>The line the demo ends with: where to go next.</summary>
    public const string NextStep =
        "Next: run a real model folder with 'aligngen generate --model DIR --reward DIR|proxy --prompt TEXT', compare settings with 'aligngen compare' (it writes an HTML report), see 'aligngen --help' and docs/cli.md.";

    public static Command Create(CliContext c)
    {
        var count = new Option<int?>("--limit") { Description = $"Prompts to run (1 to {Prompts.Length}; default all).", HelpName = "N" }
            .AtLeast(1, $"The demo has {Prompts.Length} prompts.");
        var maxNewTokens = CliOptions.MaxNewTokens(DefaultMaxNewTokens);
        var seed = new Option<int>("--seed") { Description = "Seed for sampling and Best-of-N.", DefaultValueFactory = _ => DefaultSeed, HelpName = "N" };
        var weight = new Option<double>("--w")
        {
            Description = "ARGS reward weight (the proxy reward's scale is ~0.01, hence the large default).",
            DefaultValueFactory = _ => DemoWeight,
            HelpName = "W",
        }.CheckedBy(v => _ = new ArgsOptions(weight: v));
        var command = new Command("demo", "Run greedy, sampling, Best-of-4 and ARGS on the embedded demo model, guided by the proxy reward, and print a comparison. Needs no download.");
        command.Options.Add(count);
        command.Options.Add(maxNewTokens);
        command.Options.Add(seed);
        command.Options.Add(weight);
        c.SetAction(command, parse => Run(c.Console.Out, Math.Min(parse.GetValue(count) ?? Prompts.Length, Prompts.Length), parse.GetValue(maxNewTokens), parse.GetValue(seed), parse.GetValue(weight)));
        return command;
    }

    /// <summary>`aligngen` with no command runs the demo with its defaults.</summary>
    public static void AddDefaults(RootCommand root, CliContext c) =>
        c.SetAction(root, _ => Run(c.Console.Out, Prompts.Length, DefaultMaxNewTokens, DefaultSeed, DemoWeight));

    public static int Run(TextWriter output, int count, int maxNew, int seed, double weight)
    {
        output.WriteLine("AlignedGen demo — decoding-time alignment on the embedded default model.");
        output.WriteLine("The demo LM is SMALL: " + DefaultModels.StoryModelDescription + ".");
        var folder = DefaultModels.EnsureStoryModel();
        using var model = OnnxCausalLanguageModel.Load(folder);
        using var reward = ProxyRewardSource.CreateDefault();
        output.WriteLine($"model: {folder} ({model.Config.VocabularySize} words and marks); reward: {reward.Name} (all-MiniLM-L6-v2 embeddings)");
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
        output.WriteLine();
        output.WriteLine(NextStep);
        return ExitCodes.Ok;
    }
}
