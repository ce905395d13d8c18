using System.Globalization;
using AlignedGen.Cli;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>The README's main job: the demo on the embedded default model prints a comparison of the four strategies.</summary>
public class DemoCommandTests
{
    [Fact]
    public void The_demo_prints_one_row_per_strategy_with_a_reward_and_costs()
    {
        var output = new StringWriter();
        int rc = DemoCommand.Run(CliArguments.Parse(new[] { "demo", "--prompts", "2", "--max-new-tokens", "12" }), output);
        Assert.Equal(0, rc);
        var text = output.ToString();
        Assert.Contains("TINY", text);
        foreach (var strategy in new[] { "greedy", "sample", "best-of-4", "args-greedy" })
        {
            var row = text.Split('\n').Single(l => l.StartsWith($"| {strategy} ", StringComparison.Ordinal));
            var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.True(double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var reward) && double.IsFinite(reward), row);
            Assert.True(double.Parse(cells[3], CultureInfo.InvariantCulture) > 0, $"LM calls in {row}");
        }
        // Only the reward-using strategies call the reward while decoding.
        double RewardCalls(string strategy) => double.Parse(text.Split('\n').Single(l => l.StartsWith($"| {strategy} ", StringComparison.Ordinal))
            .Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[4], CultureInfo.InvariantCulture);
        Assert.Equal(0, RewardCalls("greedy"));
        Assert.True(RewardCalls("args-greedy") > 0);
    }

    [Fact]
    public void Bad_command_line_input_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => CliArguments.Parse(new[] { "generate", "--model" }));
        Assert.Throws<ArgumentException>(() => CliArguments.Parse(new[] { "demo", "--prompts", "x" }).GetInt("--prompts", 1));
        Assert.Throws<ArgumentException>(() => StrategyFactory.Create(CliArguments.Parse(new[] { "generate", "--strategy", "beam" })));
        var e = Assert.Throws<ArgumentException>(() => StrategyFactory.Create(CliArguments.Parse(new[] { "generate", "--strategy", "args", "--k", "0" })));
        Assert.StartsWith("--strategy args: ARGS top-k must be at least 1", e.Message);
    }

    [Theory]
    [InlineData(new[] { "generate" }, "args w=1")]
    [InlineData(new[] { "generate", "--strategy", "args", "--k", "3", "--w", "2" }, "args w=2 k=3")]
    [InlineData(new[] { "generate", "--strategy", "args", "--candidate-count", "3", "--weight", "2" }, "args w=2 k=3")]
    [InlineData(new[] { "generate", "--strategy", "sample", "--temperature", "0.9", "--top-k", "5" }, "sample t=0.9 top-k=5")]
    [InlineData(new[] { "generate", "--strategy", "best-of-n", "--n", "8", "--top-p", "0.9" }, "best-of-8 top-p=0.9")]
    [InlineData(new[] { "generate", "--strategy", "darwin", "--m", "8", "--keep", "2" }, "darwin m=8 keep=2")]
    public void The_strategy_options_come_from_the_registry(string[] args, string label)
    {
        Assert.Equal(label, StrategyFactory.Create(CliArguments.Parse(args)).Label);
    }
}
