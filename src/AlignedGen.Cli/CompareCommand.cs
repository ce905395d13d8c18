using System.Globalization;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Reporting;
using AlignedGen.Rewards;

namespace AlignedGen.Cli;

/// <summary>
/// `aligngen compare`: several strategies and settings over one prompt set with the models loaded once; every response
/// measured (guiding and held-out reward, diversity, coherence, fluency, length, cost); prints the Markdown summary and
/// writes the comparison folder (comparison.json, responses/*.jsonl, summary.md, summary.csv) and the HTML report
/// (report.html + charts/*.png; --no-report leaves it out).
/// </summary>
public static class CompareCommand
{
    public static int Run(CliArguments a, TextWriter output)
    {
        var folder = a.Get("--model") ?? throw new ArgumentException("compare needs --model DIR (a folder with model.onnx, config and tokenizer files).");
        var outputFolder = a.Get("--output") ?? throw new ArgumentException("compare needs --output DIR (the folder for comparison.json, responses/, summary.md and summary.csv).");
        var specs = a.GetAll("--setting");
        var settings = specs.Count == 0 ? ComparisonSettingSpec.DefaultSweep() : ComparisonSettingSpec.ParseAll(specs);
        var requests = CliInputs.ReadRequests(a, "compare");
        int limit = a.GetInt("--limit", requests.Count);
        if (limit < 1) throw new ArgumentException($"Option '--limit' must be at least 1, got {limit}.");
        requests = requests.Take(limit).ToArray();
        var generation = new GenerationOptions(a.GetInt("--max-new-tokens", AlignedGenDefaults.ComparisonMaxNewTokens),
            a.GetInt("--batch-size", AlignedGenDefaults.BatchSize), seed: a.GetIntOrNull("--seed"));

        var guideSpec = a.Get("--guide");
        var judgeSpec = a.Get("--judge");
        var guided = settings.FirstOrDefault(s => s.NeedsReward);
        if (guided is not null && guideSpec is null)
            throw new ArgumentException($"Setting '{guided.Label}' is guided by a reward: pass --guide DIR (a reward-model folder) or --guide proxy.");
        using var opened = new OpenedSources();
        var model = opened.Own(OnnxCausalLanguageModel.Load(folder));
        var guide = opened.OpenOrNull(CliInputs.Reward(guideSpec));
        var judge = opened.OpenOrNull(CliInputs.Reward(judgeSpec));
        if (judge is not null && ReferenceEquals(judge, guide))
            Console.Error.WriteLine("warning: --judge is the guiding reward; judging with the reward a strategy optimised overstates its gains. Pass another reward model as --judge.");
        if (judge is null) Console.Error.WriteLine("note: no --judge given, so there is no held-out reward and no win/tie/loss.");
        ISentenceEmbedder? embedder = null;
        if (!a.HasFlag("--no-coherence"))
            embedder = opened.OpenDefaultEmbedder(new[] { guide, judge });
        var options = new ComparisonOptions(settings)
        {
            Baseline = a.Get("--baseline") ?? settings[0].Label,
            Generation = generation,
            GuidingReward = guide,
            HeldOutReward = judge,
            Embedder = embedder,
            MeasureFluency = !a.HasFlag("--no-fluency"),
            TieMargin = a.GetDouble("--tie-margin", 0),
            OutputFolder = outputFolder,
        };
        var progress = new ImmediateProgress<ComparisonProgress>(p => Console.Error.Write(string.Format(CultureInfo.InvariantCulture,
            "\r[{0}/{1}] {2,-22} {3,-10} {4}/{5} prompts, {6,5:F1}% overall, {7:F0} s   ",
            p.SettingNumber, p.SettingCount, p.Setting, p.Stage.ToString().ToLowerInvariant(), p.PromptsDone, p.PromptCount, p.Percent, p.Elapsed.TotalSeconds)));
        var result = new StrategyComparison(model, options).Run(requests, progress);
        Console.Error.WriteLine();
        output.Write(ComparisonSummaryTable.ToMarkdown(result));
        output.WriteLine();
        output.WriteLine($"wrote {Path.GetFullPath(outputFolder)} (comparison.json, responses/, summary.md, summary.csv)");
        if (!a.HasFlag("--no-report"))
            ReportCommand.Write(result, outputFolder, a, output);
        return 0;
    }
}
