using System.Diagnostics;
using System.Globalization;
using AlignedGen.Decoding;
using AlignedGen.Models;

namespace AlignedGen.Evaluation;

/// <summary>
/// The comparison job: runs every setting over the same prompts with one <see cref="TextGenerator"/> (the model and
/// rewards are loaded once, by the caller), measures every response with one <see cref="QualityEvaluator"/> (the guiding
/// reward is measured on every setting, also those that use no reward, so rows are comparable), and summarises each
/// setting with its cost and its win/tie/loss against the baseline under the held-out reward. With an output folder,
/// each setting's JSONL is written as soon as it is done and the summary files at the end.
/// </summary>
public sealed class StrategyComparison
{
    private readonly TextGenerator _generator;

    /// <summary>A comparison of <paramref name="options"/>' settings on <paramref name="model"/> (not disposed here).</summary>
    public StrategyComparison(ICausalLanguageModel model, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? throw new ArgumentNullException(nameof(options));
        var needy = options.Settings.FirstOrDefault(s => s.NeedsReward);
        if (needy is not null && options.GuidingReward is null)
            throw new ArgumentException($"Setting '{needy.Label}' ({needy.Strategy.Name}) is guided by a reward, but the comparison has no GuidingReward. Set ComparisonOptions.GuidingReward (a reward model, the proxy reward, ...).", nameof(options));
        _generator = new TextGenerator(model, options.GuidingReward);
    }

    /// <summary>The options.</summary>
    public ComparisonOptions Options { get; }

    /// <summary>The generator every setting runs on.</summary>
    public TextGenerator Generator => _generator;

    /// <summary>
    /// Runs the comparison over <paramref name="prompts"/> (ids default to their positions and must be unique); progress
    /// covers the whole run; cancellation is honoured between batches.
    /// </summary>
    public ComparisonResult Run(IReadOnlyList<GenerationRequest> prompts, IProgress<ComparisonProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var requests = WithIds(prompts);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        int seed = Options.Generation.Seed ?? Random.Shared.Next();
        var files = ComparisonResultFiles.ResponseFiles(Options.Settings.Select(s => s.Label));
        if (Options.OutputFolder is not null) ComparisonResultFiles.PrepareFolder(Options.OutputFolder);
        var evaluator = new QualityEvaluator(new QualityEvaluatorOptions
        {
            GuidingReward = Options.GuidingReward,
            HeldOutReward = Options.HeldOutReward,
            Embedder = Options.Embedder,
            FluencyModel = Options.MeasureFluency ? _generator.Model : null,
            Tokenizer = _generator.Model.Tokenizer,
            BatchSize = Options.Generation.BatchSize,
        });
        var runs = new List<SettingRun>();
        int count = Options.Settings.Count;
        for (int i = 0; i < count; i++)
        {
            var setting = Options.Settings[i];
            void Report(ComparisonStage stage, int done)
            {
                double within = (stage == ComparisonStage.Generating ? 0 : 0.5) + 0.5 * done / requests.Length;
                progress?.Report(new ComparisonProgress(i + 1, count, setting.Label, stage, done, requests.Length, (i + within) / count, clock.Elapsed));
            }
            Report(ComparisonStage.Generating, 0);
            var run = RunSetting(setting, requests, seed, evaluator, Report, cancellationToken);
            runs.Add(run);
            if (Options.OutputFolder is not null)
                ComparisonResultFiles.SaveResponses(Options.OutputFolder, files[setting.Label], run.Responses);
        }
        var baselineIndex = runs.FindIndex(r => r.Setting.Label == Options.Baseline);
        if (CheckOveroptimization(runs, runs[baselineIndex]) && Options.OutputFolder is not null)
            foreach (var run in runs) ComparisonResultFiles.SaveResponses(Options.OutputFolder, files[run.Setting.Label], run.Responses);
        var result = new ComparisonResult
        {
            Generator = _generator.Model.Name,
            GuidingReward = Options.GuidingReward?.Name,
            HeldOutReward = Options.HeldOutReward?.Name,
            Embedder = Options.Embedder?.Name,
            Baseline = Options.Baseline,
            PromptCount = requests.Length,
            MaxNewTokens = Options.Generation.MaxNewTokens,
            Seed = seed,
            StartedAt = started,
            Overoptimization = Options.Overoptimization,
            Summaries = runs.Select((r, i) => Summarize(r, i == baselineIndex ? null : runs[baselineIndex])).ToArray(),
            Responses = runs.SelectMany(r => r.Responses).ToArray(),
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
        if (Options.OutputFolder is not null) ComparisonResultFiles.SaveSummary(result, Options.OutputFolder);
        progress?.Report(new ComparisonProgress(count, count, Options.Settings[^1].Label, ComparisonStage.Finished, requests.Length, requests.Length, 1, clock.Elapsed));
        return result;
    }

    private SettingRun RunSetting(ComparisonSetting setting, GenerationRequest[] requests, int seed, QualityEvaluator evaluator,
        Action<ComparisonStage, int> report, CancellationToken cancellationToken)
    {
        var options = WithSeed(setting.Options ?? Options.Generation, seed);
        var clock = Stopwatch.StartNew();
        var generated = _generator.GenerateStream(requests, setting.Strategy, options,
            new ImmediateProgress<GenerationProgress>(p => report(ComparisonStage.Generating, p.Completed)), cancellationToken).ToList();
        var wall = clock.Elapsed;
        var promptIds = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        var rows = generated.Select((g, k) =>
        {
            if (!promptIds.TryGetValue(g.Prompt, out var ids)) promptIds[g.Prompt] = ids = _generator.EncodePrompt(g.Prompt, options);
            return ResponseToEvaluate.FromGeneration(g, ids, setting.Label, requests[k].Reference);
        }).ToArray();
        report(ComparisonStage.Evaluating, 0);
        var responses = evaluator.Evaluate(rows, new ImmediateProgress<EvaluationProgress>(p => report(ComparisonStage.Evaluating, p.Completed)), cancellationToken);
        return new SettingRun(setting, responses, wall);
    }

    /// <summary>
    /// Checks every response against the baseline's responses (reward gap and fluency drift); returns false when the
    /// baseline gives nothing to compare with (no held-out reward and no fluency).
    /// </summary>
    private bool CheckOveroptimization(List<SettingRun> runs, SettingRun baseline)
    {
        var reference = OveroptimizationBaseline.From(baseline.Responses);
        if (reference is null) return false;
        for (int i = 0; i < runs.Count; i++)
            runs[i] = runs[i] with
            {
                Responses = runs[i].Responses.Select(r => r with { Overoptimization = reference.Check(r.GuidingReward, r.HeldOutReward, r.Fluency, Options.Overoptimization) }).ToArray(),
            };
        return true;
    }

    private StrategySummary Summarize(SettingRun run, SettingRun? baseline)
    {
        var r = run.Responses;
        int n = r.Count;
        double PerResponse(Func<Decoding.GenerationCost, double> cost) => n == 0 ? 0 : r.Average(x => x.Cost is null ? 0 : cost(x.Cost));
        WinTieLoss? versus = null;
        if (baseline is not null && Options.HeldOutReward is not null)
            versus = WinTieLossCalculator.Compare(HeldOut(run), HeldOut(baseline), baseline.Setting.Label, Options.TieMargin);
        return new StrategySummary
        {
            Setting = run.Setting.Label,
            Family = run.Setting.Family,
            Parameters = run.Setting.Parameters,
            Count = n,
            GuidingReward = MetricAggregator.Summarize(r.Select(x => x.GuidingReward)),
            HeldOutReward = MetricAggregator.Summarize(r.Select(x => x.HeldOutReward)),
            Diversity = MetricAggregator.Summarize(r.Select(x => x.Diversity)),
            Coherence = MetricAggregator.Summarize(r.Select(x => x.Coherence)),
            Fluency = MetricAggregator.Summarize(r.Select(x => x.Fluency)),
            Length = MetricAggregator.Summarize(r.Select(x => (double?)x.Length)),
            VersusBaseline = versus,
            Overoptimization = OveroptimizationCount.Of(r),
            LmTokensPerResponse = PerResponse(c => c.LmTokens),
            LmCallsPerResponse = PerResponse(c => c.LmCalls),
            RewardCallsPerResponse = PerResponse(c => c.RewardCalls),
            RewardTokensPerResponse = PerResponse(c => c.RewardTokens),
            WallSeconds = run.Wall.TotalSeconds,
            MillisecondsPerResponse = n == 0 ? 0 : run.Wall.TotalMilliseconds / n,
        };
    }

    private static Dictionary<string, double> HeldOut(SettingRun run)
        => run.Responses.Where(x => x.HeldOutReward.HasValue).ToDictionary(x => x.PromptId, x => x.HeldOutReward!.Value, StringComparer.Ordinal);

    private static GenerationRequest[] WithIds(IReadOnlyList<GenerationRequest> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("A comparison needs at least one prompt.", nameof(prompts));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var requests = new GenerationRequest[prompts.Count];
        for (int i = 0; i < prompts.Count; i++)
        {
            var p = prompts[i] ?? throw new ArgumentException($"Prompt {i} is null.", nameof(prompts));
            requests[i] = p.Id is null ? p with { Id = i.ToString(CultureInfo.InvariantCulture) } : p;
            if (!seen.Add(requests[i].Id!))
                throw new ArgumentException($"Prompts {i} and an earlier one share the id '{requests[i].Id}'; ids pair responses across settings and must be unique.", nameof(prompts));
        }
        return requests;
    }

    private static GenerationOptions WithSeed(GenerationOptions o, int seed) => o.Seed is not null ? o
        : new GenerationOptions(o.MaxNewTokens, o.BatchSize, o.StopStrings, o.StopAtEos, o.AddSpecialTokens, o.ChatTemplate, seed);

    private sealed record SettingRun(ComparisonSetting Setting, IReadOnlyList<EvaluatedResponse> Responses, TimeSpan Wall);
}
