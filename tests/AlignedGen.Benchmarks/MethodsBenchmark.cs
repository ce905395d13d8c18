using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Issue 17's tuning sweep for CARDS and Speculative Rejection on stories260K (rm-llama-cached guiding, rm-wordpiece
/// judging, 64 new tokens, seed 1) over the TUNING prompts 500–599 of story-prompts.jsonl — not the first 200, which the
/// committed report uses — against Best-of-16: held-out reward, win/tie/loss against Best-of-16, and LM + RM token
/// positions per response (exact counts; wall time is noise on a shared machine). <c>--grid NAME</c> picks the grid.
/// </summary>
public static class MethodsBenchmark
{
    private const int FirstTuningPrompt = 500;

    public static int Run(BenchmarkArgs args)
    {
        var argv = Environment.GetCommandLineArgs();
        int at = Array.IndexOf(argv, "--grid");
        string grid = at >= 0 && at + 1 < argv.Length ? argv[at + 1] : "default";
        int count = args.Quick ? 24 : 100;
        var prompts = File.ReadLines(args.Data("story-prompts.jsonl")).Where(l => l.Length > 0).Skip(FirstTuningPrompt).Take(count)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();
        using var lm = OnnxCausalLanguageModel.Load(args.Model("stories260K"));
        using var guide = RewardModelLoader.FromFolder(args.Model("rm-llama-cached"));
        using var judge = RewardModelLoader.FromFolder(args.Model("rm-wordpiece"));
        if (grid == "diag") return Diagnose(lm, guide, prompts);
        var settings = new List<ComparisonSetting> { new(new BestOfNStrategy(new BestOfNOptions(16, new SamplingOptions(0.7))), "best-of-16") };
        settings.AddRange(Grid(grid));
        Console.WriteLine($"methods ({grid}): stories260K, guide rm-llama-cached, judge rm-wordpiece, tuning prompts {FirstTuningPrompt}-{FirstTuningPrompt + count - 1}, 64 new tokens, seed 1, load {Load()}");
        var options = new ComparisonOptions(settings)
        {
            GuidingReward = guide,
            HeldOutReward = judge,
            MeasureFluency = grid == "spec07",   // the T = 0.7 question is about fluency (T = 1.0 lost it)
            Generation = new GenerationOptions(maxNewTokens: 64, batchSize: 16, seed: 1),
        };
        var result = new StrategyComparison(lm, options).Run(GenerationRequest.FromPrompts(prompts),
            new Progress<ComparisonProgress>(p => { if (p.Stage == ComparisonStage.Evaluating && p.PromptsDone == 0) Console.Error.WriteLine($"  {p.Setting} generated ({p.Elapsed.TotalSeconds:F0} s)"); }));
        var bon = result.Summaries[0];
        double bonCost = bon.LmTokensPerResponse + bon.RewardTokensPerResponse;
        var table = new ResultTable("setting", "held-out", "guiding", "vs best-of-16 W/T/L", "LM tok/resp", "RM tok/resp", "cost / best-of-16", "fluency (NLL/token)", "s");
        foreach (var s in result.Summaries)
        {
            double cost = s.LmTokensPerResponse + s.RewardTokensPerResponse;
            var v = s.VersusBaseline;
            table.Add(s.Setting, $"{s.HeldOutReward.Mean:F3} ± {s.HeldOutReward.StandardError:F3}", $"{s.GuidingReward.Mean:F3}",
                v is null ? "baseline" : $"{v.Wins}/{v.Ties}/{v.Losses}", s.LmTokensPerResponse, s.RewardTokensPerResponse, $"{cost / bonCost:F2}",
                options.MeasureFluency ? $"{s.Fluency.Mean:F3}" : "-", s.WallSeconds);
        }
        Console.WriteLine(table);
        Console.WriteLine($"load after: {Load()}");
        return 0;
    }

    private static IEnumerable<ComparisonSetting> Grid(string name) => name switch
    {
        "cards" => new (double? R, double Gain, double Entropy)[] { (5, 0, 3), (6, 0, 3), (7, 0, 3), (6, 0, 4), (null, 11, 3) }.Select(x =>
            new ComparisonSetting(new CardsStrategy(new CardsOptions(rewardThreshold: x.R, rewardGain: x.Gain, entropyThreshold: x.Entropy)),
                x.R is null ? $"cards gain={x.Gain} entropy={x.Entropy}" : $"cards r={x.R} entropy={x.Entropy}")),
        // Speculative Rejection at the Best-of-N temperature (T = 0.7, top-k 50) instead of the authors' T = 1.0.
        "spec07" => new (int N, double Alpha)[] { (16, 0.5), (24, 0.5), (32, 0.5), (32, 0.6), (48, 0.75) }.Select(x =>
            new ComparisonSetting(new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(x.N, x.Alpha, sampling: new SamplingOptions(0.7, 50))),
                $"spec-rejection n={x.N} alpha={x.Alpha} t=0.7")).Prepend(
            new ComparisonSetting(new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(24, 0.5)), "spec-rejection n=24 alpha=0.5 t=1")),
        "spec" => new (int N, double Alpha)[] { (16, 0.5), (24, 0.5), (24, 0.6), (32, 0.5), (32, 0.6), (32, 0.7), (48, 0.75) }.Select(x =>
            new ComparisonSetting(new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(x.N, x.Alpha)), $"spec-rejection n={x.N} alpha={x.Alpha}")),
        _ => new[]
        {
            new ComparisonSetting(new CardsStrategy(new CardsOptions(rewardGain: 3)), "cards gain=3"),
            new ComparisonSetting(new CardsStrategy(new CardsOptions(rewardGain: 6)), "cards gain=6"),
            new ComparisonSetting(new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(16, 0.5, sampling: new SamplingOptions(0.7, 50))), "spec-rejection n=16 t=0.7"),
            new ComparisonSetting(new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(32, 0.5)), "spec-rejection n=32 t=1"),
        },
    };

    /// <summary>CARDS traces on the tuning prompts: prompt rewards, thresholds, segments and retries.</summary>
    private static int Diagnose(OnnxCausalLanguageModel lm, IRewardSource guide, string[] prompts)
    {
        var generator = new TextGenerator(lm, guide);
        var table = new ResultTable("setting", "prompt reward", "final reward", "tried/seg", "segments", "forced", "mean seg len", "LM tok", "recomputed", "RM tok");
        foreach (var (label, options) in new[]
        {
            ("gain=3 entropy=3", new CardsOptions(rewardGain: 3)),
            ("gain=3 entropy=2", new CardsOptions(rewardGain: 3, entropyThreshold: 2)),
            ("r*=6 entropy=2", new CardsOptions(rewardThreshold: 6, entropyThreshold: 2)),
            ("r*=6 entropy=2 hard", new CardsOptions(rewardThreshold: 6, entropyThreshold: 2, acceptance: CardsAcceptance.Hard)),
        })
        {
            var results = generator.Generate(GenerationRequest.FromPrompts(prompts), new CardsStrategy(options), new GenerationOptions(64, 16, seed: 1));
            var t = results.Select(r => (CardsTrace)r.Trace!).ToArray();
            table.Add(label, t.Average(x => x.PromptReward), results.Average(r => r.Reward!.Value), (double)t.Sum(x => x.SegmentsTried) / t.Sum(x => x.SegmentsAccepted),
                t.Average(x => (double)x.SegmentsAccepted), t.Sum(x => x.SegmentsForced), t.Average(x => x.SegmentLengths.DefaultIfEmpty().Average()),
                results.Average(r => r.Cost.LmTokens), t.Average(x => (double)x.RecomputedTokens), results.Average(r => r.Cost.RewardTokens));
        }
        Console.WriteLine(table);
        return 0;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
