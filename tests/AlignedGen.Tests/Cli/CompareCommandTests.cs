using AlignedGen.Cli.Commands;
using AlignedGen.Evaluation;
using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>`aligngen compare` on the shared trained models and on the embedded demo model.</summary>
public class CompareCommandTests
{
    [SkippableFact]
    public void Stories260K_guided_by_the_llama_reward_and_judged_by_the_wordpiece_reward()
    {
        string Shared(params string[] parts) => SharedFolder.Require(parts);
        var lm = Shared("models", "stories260K");
        var guide = Shared("models", "rm-llama-cached");
        var judge = Shared("models", "rm-wordpiece");
        var prompts = Shared("data", "story-prompts.jsonl");
        using var temp = new TempFolder();
        var run = Cli.Run(
            "compare", "--model", lm, "--guide", guide, "--judge", judge, "--prompts", prompts, "--limit", "6",
            "--setting", "greedy", "--setting", "args w=1", "--setting", "best-of-4",
            "--max-new-tokens", "16", "--seed", "5", "--output", temp.Path, "--progress", "plain");
        Assert.True(run.Code == 0, run.ToString());
        var text = run.Out;
        Assert.Contains("compare: 36/36 steps (100%)", run.Error);
        Assert.Equal(3, TableRows(text).Length);
        Assert.Contains("guided by rm-llama-cached, judged by rm-wordpiece", text);

        var result = ComparisonResultFiles.Load(temp.Path);
        Assert.Equal(("stories260K", "rm-llama-cached", "rm-wordpiece", "all-MiniLM-L6-v2", 6, 16, 5),
            (result.Generator, result.GuidingReward, result.HeldOutReward, result.Embedder, result.PromptCount, result.MaxNewTokens, result.Seed));
        Assert.Equal(18, result.Responses.Count);
        Assert.All(result.Responses, r => Assert.True(r.GuidingReward.HasValue && r.HeldOutReward.HasValue && r.Coherence.HasValue && r.Fluency.HasValue && r.Diversity.HasValue));
        Assert.All(result.Responses, r => Assert.InRange(r.Length, 1, 16));
        var greedy = result.Summaries.Single(s => s.Setting == "greedy");
        var args = result.Summaries.Single(s => s.Setting == "args w=1");
        // ARGS-greedy is deterministic and steers towards the guiding reward: it must beat greedy under it.
        Assert.True(args.GuidingReward.Mean > greedy.GuidingReward.Mean, $"ARGS {args.GuidingReward.Mean:F3} vs greedy {greedy.GuidingReward.Mean:F3}");
        Assert.Equal(6, args.VersusBaseline!.Count);
        Assert.Equal(0, greedy.RewardCallsPerResponse);
        Assert.True(File.Exists(Path.Combine(temp.Path, "summary.csv")));
        Assert.Equal(text.Split("\n\nwrote")[0].TrimEnd(), File.ReadAllText(Path.Combine(temp.Path, "summary.md")).TrimEnd());
        // The HTML report comes with the folder: the page names every setting and links every chart it drew.
        var html = File.ReadAllText(Path.Combine(temp.Path, "report.html"));
        Assert.All(result.Summaries, s => Assert.Contains(s.Setting, html));
        var charts = Directory.GetFiles(Path.Combine(temp.Path, "charts"), "*.png");
        Assert.NotEmpty(charts);
        Assert.All(charts, c => Assert.Contains("charts/" + Path.GetFileName(c), html));
        Assert.Contains($"and {charts.Length} charts", text);
    }

    [Fact]
    public void The_demo_model_with_the_proxy_reward_needs_no_shared_folder()
    {
        using var temp = new TempFolder();
        var prompts = Path.Combine(temp.Path, "prompts.jsonl");
        File.WriteAllLines(prompts, new[] { "{\"id\": \"a\", \"prompt\": \"The little boat sailed\"}", "{\"id\": \"b\", \"prompt\": \"In the morning the farmer\"}", "{\"id\": \"c\", \"prompt\": \"The children walked to the\"}" });
        var folder = Path.Combine(temp.Path, "out");
        var run = Cli.Run(
            "compare", "--model", DefaultModels.EnsureDemoModel(), "--guide", "proxy", "--judge", "proxy", "--prompts", prompts,
            "--setting", "greedy", "--setting", $"args w={DemoCommand.DemoWeight}", "--no-coherence", "--max-new-tokens", "8", "--output", folder, "--no-report", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("", run.Error);
        Assert.Equal(2, TableRows(run.Out).Length);
        var result = ComparisonResultFiles.Load(folder);
        Assert.Equal(new[] { "a", "b", "c", "a", "b", "c" }, result.Responses.Select(r => r.PromptId));
        Assert.Null(result.Embedder);
        Assert.All(result.Responses, r => Assert.Null(r.Coherence));
        Assert.All(result.Responses, r => Assert.NotNull(r.Fluency));
        // The same proxy instance guides and judges (the CLI warns that this overstates gains): both rewards agree.
        Assert.All(result.Responses, r => Assert.Equal(r.GuidingReward, r.HeldOutReward));
        Assert.False(File.Exists(Path.Combine(folder, "report.html")), "--no-report must leave the report out");

        // `aligngen report` draws it later from the folder alone, into another folder when asked.
        var reportFolder = Path.Combine(temp.Path, "report");
        var report = Cli.Run("report", "--input", folder, "--output", reportFolder, "--title", "Demo <run>");
        Assert.True(report.Code == 0, report.ToString());
        var html = File.ReadAllText(Path.Combine(reportFolder, "report.html"));
        Assert.Contains("Demo &lt;run&gt;", html);
        Assert.Contains($"args w={DemoCommand.DemoWeight}", html);
        Assert.Contains("wrote " + Path.GetFullPath(Path.Combine(reportFolder, "report.html")), report.Out);
    }

    [Fact]
    public void Bad_compare_arguments_are_usage_errors_and_help_lists_the_settings()
    {
        var help = Cli.Run("compare", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("args | args-greedy [w=1] [k=10]", help.Out);
        var noOutput = Cli.Run("compare", "--model", "m");
        Assert.Equal(2, noOutput.Code);
        Assert.Contains("Option '--output' is required.", noOutput.Error);
        var beam = Cli.Run("compare", "--model", "m", "--output", "o", "--setting", "beam");
        Assert.Equal(2, beam.Code);
        Assert.Contains("unknown strategy 'beam'", beam.Error);
        var noInput = Cli.Run("report");
        Assert.Equal(2, noInput.Code);
        Assert.Contains("--input", noInput.Error);
        using var empty = new TempFolder();
        var notComparison = Cli.Run("report", "--input", empty.Path);
        Assert.Equal(2, notComparison.Code);
        Assert.Contains("comparison.json", notComparison.Error);
        var unguided = Cli.Run("compare", "--model", "m", "--output", "o", "--prompt", "x", "--setting", "args");
        Assert.Equal(2, unguided.Code);
        Assert.Contains("pass --guide DIR", unguided.Error);
    }

    private static string[] TableRows(string markdown)
        => markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| setting", StringComparison.Ordinal)).ToArray();
}
