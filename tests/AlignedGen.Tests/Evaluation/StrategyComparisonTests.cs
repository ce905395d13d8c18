using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Rewards;
using AlignedGen.Tests.Decoding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Evaluation;

/// <summary>The comparison job on builder models (no shared/): one generator, every setting measured alike, files, progress, cancellation.</summary>
public class StrategyComparisonTests
{
    private static readonly GenerationRequest[] Prompts =
        new[] { "3 4", "5", "7 8 9", "10 3", "12" }.Select((p, i) => new GenerationRequest(p, $"q{i}")).ToArray();

    /// <summary>The held-out judge: how often token 6 appears in the response.</summary>
    private static readonly IRewardSource Judge = DelegateRewardSource.PerQuery("count-6", q => q.Response.Split(' ').Count(w => w == "6"));

    private static IReadOnlyList<ComparisonSetting> Settings() => new[]
    {
        ComparisonSettingSpec.Parse("greedy"),
        new ComparisonSetting(SamplingStrategy.Greedy, "greedy again"),
        ComparisonSettingSpec.Parse("args w=1"),
        ComparisonSettingSpec.Parse("best-of-4"),
    };

    [Fact]
    public void Every_setting_runs_on_one_generator_and_is_measured_alike()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var rm = models.MeanRewardModel();
        using var temp = new TempFolder();
        var generation = new GenerationOptions(maxNewTokens: 8, batchSize: 2, seed: 11);
        var options = new ComparisonOptions(Settings())
        {
            Generation = generation, GuidingReward = rm, HeldOutReward = Judge, Embedder = new TableEmbedder(), OutputFolder = temp.Path,
        };
        var progress = new List<ComparisonProgress>();
        var result = new StrategyComparison(lm, options).Run(Prompts, new ImmediateProgress<ComparisonProgress>(progress.Add));

        Assert.Equal(new[] { "greedy", "greedy again", "args w=1", "best-of-4" }, result.Summaries.Select(s => s.Setting));
        Assert.Equal(("greedy", 5, 11, 8, lm.Name, rm.Name, "count-6"), (result.Baseline, result.PromptCount, result.Seed, result.MaxNewTokens, result.Generator, result.GuidingReward, result.HeldOutReward));
        Assert.Equal(20, result.Responses.Count);
        Assert.All(result.Summaries, s => Assert.Equal(5, s.Count));
        Assert.Null(result.Summaries[0].VersusBaseline);
        // The same strategy as the baseline ties on every prompt, by construction.
        var same = result.Summaries[1].VersusBaseline!;
        Assert.Equal((0, 5, 0, 0.5, 0.0, 0.0), (same.Wins, same.Ties, same.Losses, same.Score, same.StandardError, same.MeanDifference));
        Assert.Equal(5, result.Summaries[2].VersusBaseline!.Count);

        // Responses equal an independent run of each strategy with the same seed; guided strategies' own final
        // rewards equal the measured guiding reward; greedy (no reward of its own) is measured too.
        var generator = new TextGenerator(lm, rm);
        for (int s = 0; s < 4; s++)
        {
            var own = generator.Generate(Prompts, options.Settings[s].Strategy, generation);
            var measured = result.Responses.Where(r => r.Setting == options.Settings[s].Label).ToArray();
            Assert.Equal(own.Select(o => o.Text), measured.Select(m => m.Response));
            Assert.Equal(Prompts.Select(p => p.Id), measured.Select(m => m.PromptId));
            Assert.All(measured, m => Assert.NotNull(m.GuidingReward));
            for (int i = 0; i < own.Count; i++)
                if (own[i].Reward is float r) Assert.Equal(r, measured[i].GuidingReward!.Value, 4);
            Assert.All(measured, m => Assert.Equal(m.Response.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, m.Length));
            Assert.All(measured, m => Assert.True(m.Length == 0 || m.Fluency > 0));
            Assert.All(measured, m => Assert.NotNull(m.Coherence));
        }
        Assert.Equal(0, result.Summaries[0].RewardCallsPerResponse);
        Assert.True(result.Summaries[2].RewardCallsPerResponse > 0 && result.Summaries[3].LmTokensPerResponse > result.Summaries[0].LmTokensPerResponse);

        // Progress covers the whole run, in order.
        Assert.Equal(Enumerable.Range(1, 4), progress.Select(p => p.SettingNumber).Distinct());
        Assert.Equal(progress.Select(p => p.OverallFraction).OrderBy(f => f), progress.Select(p => p.OverallFraction));
        Assert.Equal((ComparisonStage.Finished, 1.0), (progress[^1].Stage, progress[^1].OverallFraction));
        Assert.Contains(progress, p => p.Setting == "args w=1" && p.Stage == ComparisonStage.Evaluating && p.PromptsDone == 5);

        var loaded = ComparisonResultFiles.Load(temp.Path);
        Assert.Equal(result.Responses, loaded.Responses);
        Assert.Equal(result.Summaries.Select(s => s.VersusBaseline), loaded.Summaries.Select(s => s.VersusBaseline));
    }

    [Fact]
    public void Cancelling_keeps_the_settings_already_written()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var temp = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var settings = new[] { ComparisonSettingSpec.Parse("greedy"), ComparisonSettingSpec.Parse("sample") };
        var options = new ComparisonOptions(settings) { Generation = new GenerationOptions(maxNewTokens: 6, batchSize: 2), OutputFolder = temp.Path, MeasureFluency = false };
        var progress = new ImmediateProgress<ComparisonProgress>(p => { if (p.SettingNumber == 2 && p.PromptsDone > 0) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new StrategyComparison(lm, options).Run(Prompts, progress, cancel.Token));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(temp.Path, "responses", "greedy.jsonl")).Length);
        Assert.False(File.Exists(Path.Combine(temp.Path, "responses", "sample-t-0-7.jsonl")));
        Assert.False(File.Exists(Path.Combine(temp.Path, "comparison.json")));
    }

    [Fact]
    public void Bad_options_and_prompts_are_argument_errors()
    {
        Assert.Contains("at least one setting", Assert.Throws<ArgumentException>(() => new ComparisonOptions(Array.Empty<ComparisonSetting>())).Message);
        var twice = new[] { ComparisonSettingSpec.Parse("greedy"), new ComparisonSetting(SamplingStrategy.Greedy) };
        Assert.Contains("share the label 'greedy'", Assert.Throws<ArgumentException>(() => new ComparisonOptions(twice)).Message);
        var baseline = Assert.Throws<ArgumentException>(() => new ComparisonOptions(Settings()) { Baseline = "args w=3" });
        Assert.Equal("Baseline", baseline.ParamName);
        Assert.Contains("'args w=1'", baseline.Message);
        Assert.Equal("args w=1", new ComparisonOptions(Settings()) { Baseline = "args w=1" }.Baseline);
        Assert.Equal("TieMargin", Assert.Throws<ArgumentOutOfRangeException>(() => new ComparisonOptions(Settings()) { TieMargin = -1 }).ParamName);

        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        var noGuide = Assert.Throws<ArgumentException>(() => new StrategyComparison(lm, new ComparisonOptions(Settings())));
        Assert.Contains("'args w=1'", noGuide.Message);
        Assert.Contains("GuidingReward", noGuide.Message);
        var comparison = new StrategyComparison(lm, new ComparisonOptions(new[] { ComparisonSettingSpec.Parse("greedy") }));
        var duplicate = new[] { new GenerationRequest("3", "a"), new GenerationRequest("4", "a") };
        Assert.Contains("share the id 'a'", Assert.Throws<ArgumentException>(() => comparison.Run(duplicate)).Message);
        Assert.Throws<ArgumentException>(() => comparison.Run(Array.Empty<GenerationRequest>()));
    }
}
