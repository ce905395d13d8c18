using AlignedGen.Decoding;
using AlignedGen.Evaluation;

namespace AlignedGen.Reporting.Tests;

/// <summary>One setting of a synthetic comparison: the true mean rewards its responses are drawn around, and its cost.</summary>
public sealed record SyntheticSetting(string Label, string Family, double? W, double HeldOutMean, double GuidingMean,
    double MillisecondsPerResponse, double LmTokensPerResponse, double RewardCallsPerResponse, double RewardTokensPerResponse);

/// <summary>
/// Builds realistic <see cref="ComparisonResult"/>s from seeded random responses. Every summary (means, SEs, win/tie/loss)
/// is computed here from the responses it returns, so expectations in tests follow from the data by construction.
/// </summary>
public static class SyntheticComparison
{
    /// <summary>Held-out rewards closer than this count as a tie.</summary>
    public const double TieMargin = 0.05;

    private static readonly string[] Words =
        "the a model helpful answer question kindly reward aligned safe response detail example because therefore so we can you it is not".Split(' ');

    /// <summary>Greedy baseline, sampling, best-of-4/16, ARGS w = 0.5/1/1.5/2 and DARWIN, like a real comparison.</summary>
    public static IReadOnlyList<SyntheticSetting> TypicalSettings { get; } =
    [
        new("greedy", "greedy", null, 0.10, 0.20, 45, 60, 0, 0),
        new("sample T=0.7", "sample", null, 0.05, 0.15, 50, 60, 0, 0),
        new("best-of-4", "best-of-n", null, 0.35, 0.80, 190, 240, 1, 240),
        new("best-of-16", "best-of-n", null, 0.50, 1.20, 760, 960, 1, 960),
        new("args w=0.5", "args-greedy", 0.5, 0.30, 0.70, 420, 600, 60, 600),
        new("args w=1", "args-greedy", 1.0, 0.45, 1.10, 430, 600, 60, 600),
        new("args w=1.5", "args-greedy", 1.5, 0.52, 1.50, 440, 600, 60, 600),
        new("args w=2", "args-greedy", 2.0, 0.40, 1.80, 450, 600, 60, 600),
        new("darwin", "darwin", null, 0.48, 1.30, 2400, 3100, 24, 3000),
    ];

    /// <summary>A comparison of <paramref name="settings"/> (default <see cref="TypicalSettings"/>) on <paramref name="prompts"/> prompts; the first setting is the baseline.</summary>
    public static ComparisonResult Create(IReadOnlyList<SyntheticSetting>? settings = null, int prompts = 30, int seed = 7,
        bool heldOut = true, Func<int, string>? promptText = null, Func<string, int, string>? responseText = null)
    {
        settings ??= TypicalSettings;
        var random = new Random(seed);
        var responses = settings.SelectMany(s => Enumerable.Range(0, prompts).Select(i => Response(s, i, random, heldOut, promptText, responseText))).ToList();
        var baseline = settings[0].Label;
        var summaries = settings.Select(s => Summarise(s, responses, baseline, heldOut)).ToList();
        return new ComparisonResult
        {
            Generator = "tiny-gpt2 (synthetic)",
            GuidingReward = "proxy",
            HeldOutReward = heldOut ? "deberta-rm" : null,
            Embedder = "all-MiniLM-L6-v2",
            Baseline = baseline,
            PromptCount = prompts,
            MaxNewTokens = 64,
            Seed = seed,
            StartedAt = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero),
            WallSeconds = summaries.Sum(s => s.WallSeconds) * 1.2,
            Summaries = summaries,
            Responses = responses,
        };
    }

    /// <summary>Mean, sample SD / √n and count of the values.</summary>
    public static MetricSummary Summary(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return MetricSummary.Empty;
        var mean = values.Average();
        if (values.Count == 1) return new MetricSummary(mean, double.NaN, 1);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricSummary(mean, sd / Math.Sqrt(values.Count), values.Count);
    }

    private static EvaluatedResponse Response(SyntheticSetting s, int prompt, Random random, bool heldOut,
        Func<int, string>? promptText, Func<string, int, string>? responseText)
    {
        var length = 20 + random.Next(44);
        var text = responseText?.Invoke(s.Label, prompt)
            ?? string.Join(' ', Enumerable.Range(0, length).Select(_ => Words[random.Next(Words.Length)]));
        return new EvaluatedResponse
        {
            Setting = s.Label,
            PromptId = $"p{prompt:D3}",
            Prompt = promptText?.Invoke(prompt) ?? $"Question {prompt}: how should an assistant answer politely?",
            Response = text,
            FinishReason = length == 63 ? FinishReason.Length : FinishReason.Eos,
            GuidingReward = s.GuidingMean + 0.4 * Gaussian(random),
            HeldOutReward = heldOut ? s.HeldOutMean + 0.3 * Gaussian(random) : null,
            Diversity = Math.Clamp(0.8 + 0.1 * Gaussian(random), 0, 1),
            Coherence = Math.Clamp(0.5 + 0.1 * Gaussian(random), -1, 1),
            Fluency = 2.5 + 0.3 * Gaussian(random),
            Length = length,
            Cost = new GenerationCost
            {
                LmCalls = length, LmTokens = s.LmTokensPerResponse, RewardCalls = s.RewardCallsPerResponse,
                RewardTokens = s.RewardTokensPerResponse, Elapsed = TimeSpan.FromMilliseconds(s.MillisecondsPerResponse),
            },
        };
    }

    private static StrategySummary Summarise(SyntheticSetting s, IReadOnlyList<EvaluatedResponse> all, string baseline, bool heldOut)
    {
        var mine = all.Where(r => r.Setting == s.Label).ToArray();
        MetricSummary Of(Func<EvaluatedResponse, double?> metric) =>
            Summary(mine.Select(metric).Where(v => v.HasValue).Select(v => v!.Value).ToArray());
        return new StrategySummary
        {
            Setting = s.Label,
            Family = s.Family,
            Parameters = s.W is { } w ? new Dictionary<string, double> { ["w"] = w, ["k"] = 10 } : new Dictionary<string, double>(),
            Count = mine.Length,
            GuidingReward = Of(r => r.GuidingReward),
            HeldOutReward = Of(r => r.HeldOutReward),
            Diversity = Of(r => r.Diversity),
            Coherence = Of(r => r.Coherence),
            Fluency = Of(r => r.Fluency),
            Length = Of(r => r.Length),
            VersusBaseline = heldOut && s.Label != baseline ? Versus(mine, all.Where(r => r.Setting == baseline).ToArray(), baseline) : null,
            LmTokensPerResponse = s.LmTokensPerResponse,
            LmCallsPerResponse = mine.Average(r => r.Cost!.LmCalls),
            RewardCallsPerResponse = s.RewardCallsPerResponse,
            RewardTokensPerResponse = s.RewardTokensPerResponse,
            WallSeconds = s.MillisecondsPerResponse * mine.Length / 1000,
            MillisecondsPerResponse = s.MillisecondsPerResponse,
        };
    }

    private static WinTieLoss Versus(IReadOnlyList<EvaluatedResponse> mine, IReadOnlyList<EvaluatedResponse> baseline, string baselineLabel)
    {
        var differences = mine.Select(r => r.HeldOutReward!.Value - baseline.Single(b => b.PromptId == r.PromptId).HeldOutReward!.Value).ToArray();
        var outcomes = differences.Select(d => d > TieMargin ? 1.0 : d < -TieMargin ? 0.0 : 0.5).ToArray();
        var score = Summary(outcomes);
        var difference = Summary(differences);
        return new WinTieLoss
        {
            Baseline = baselineLabel,
            Wins = outcomes.Count(o => o == 1),
            Ties = outcomes.Count(o => o == 0.5),
            Losses = outcomes.Count(o => o == 0),
            Score = score.Mean,
            StandardError = score.StandardError,
            MeanDifference = difference.Mean,
            MeanDifferenceStandardError = difference.StandardError,
        };
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
