using System.Globalization;
using System.Text.RegularExpressions;
using AlignedGen.Cli.Commands;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>The README's main job: the demo on the embedded default model prints a comparison of the four strategies.</summary>
public class DemoCommandTests
{
    [Fact]
    public void The_demo_prints_one_row_per_strategy_with_a_reward_and_costs_then_where_to_go_next()
    {
        var run = Cli.Run("demo", "--limit", "2", "--max-new-tokens", "12");
        Assert.True(run.Code == 0, run.ToString());
        var text = run.Out;
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
        // It ends with one line on where to go next.
        Assert.Equal(DemoCommand.NextStep, text.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void Aligngen_without_a_command_runs_the_demo()
    {
        var run = Cli.Run();
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("| args-greedy ", run.Out);
        Assert.Contains(DemoCommand.NextStep, run.Out);
    }

    [Fact]
    public void Greedy_on_the_story_model_writes_english_without_looping_on_one_word()
    {
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureStoryModel());
        var prompts = new[] { "The little boat sailed", "In the morning the farmer", "A good friend is someone who", "The children walked to the", "When the rain stopped, the" };
        var results = new TextGenerator(model).Generate(GenerationRequest.FromPrompts(prompts), SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 64));
        foreach (var r in results)
        {
            var words = Regex.Matches(r.Text.ToLowerInvariant(), "[a-z']+").Select(m => m.Value).ToArray();
            Assert.True(words.Length >= 5, $"'{r.Text}' has fewer than 5 words");
            for (var i = 3; i < words.Length; i++)
                Assert.False(words[i] == words[i - 1] && words[i] == words[i - 2] && words[i] == words[i - 3], $"'{words[i]}' 4 times in a row in '{r.Text}'");
            // English-like: the words are words of the corpus the model was built from, and it ends sentences.
            var vocabulary = Regex.Matches(DefaultModels.StoryCorpus.ToLowerInvariant(), "[a-z']+").Select(m => m.Value).ToHashSet();
            var known = words.Count(vocabulary.Contains);
            Assert.True(known >= 0.9 * words.Length, $"only {known} of {words.Length} words of '{r.Text}' are English words of the corpus");
            Assert.Contains(".", r.Text);
        }
    }
}
