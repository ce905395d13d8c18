using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// CARDS and Speculative Rejection from the command line (demo model, proxy reward; no shared/ needed): `generate
/// --strategy` returns what the core's strategies built from options objects return, the shorthands add their keys,
/// `compare --setting` runs both, and bad values are usage errors naming the key.
/// </summary>
public class CliMethodsTests
{
    private static readonly string Demo = DefaultModels.EnsureDemoModel();
    private static readonly string[] Prompts = { "The little boat sailed", "In the morning the farmer", "A good friend is someone who" };

    public static TheoryData<string[], string, object> Runs => new()
    {
        { new[] { "--strategy", "cards gain=0.5 max-segment=4 retries=2" }, "cards", new CardsStrategy(new CardsOptions(rewardGain: 0.5, maxSegmentLength: 4, maxRetries: 2)) },
        { new[] { "--strategy", "SpeculativeRejection alpha=0.25 first=3", "--n", "5", "--top-k", "20" }, "speculative-rejection-5",
            new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(5, 0.25, 3, sampling: new SamplingOptions(1.0, 20))) },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Generate_with_a_method_equals_the_core_run(string[] strategy, string name, object expectedStrategy)
    {
        using var temp = new TempFolder();
        var input = temp.Sub("prompts.jsonl");
        File.WriteAllLines(input, Prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"q{i}", prompt = p })));
        var run = Cli.Run(new[] { "generate", "--model", Demo, "--input", input, "--reward", "proxy", "--max-new-tokens", "10", "--batch-size", "2", "--seed", "3", "--quiet" }
            .Concat(strategy).ToArray());
        Assert.True(run.Code == 0, run.ToString());
        var rows = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        using var model = OnnxCausalLanguageModel.Load(Demo);
        using var reward = RewardReference.Proxy().Open();
        var expected = new TextGenerator(model, reward.Value).Generate(Prompts.Select((p, i) => new GenerationRequest(p, $"q{i}")).ToArray(),
            (IDecodingStrategy)expectedStrategy, new GenerationOptions(10, 2, seed: 3));
        Assert.Equal(expected.Select(r => r.Text), rows.Select(r => r.GetProperty("response").GetString()));
        Assert.All(rows, r => Assert.Equal(name, r.GetProperty("strategy").GetString()));
        for (int i = 0; i < rows.Length; i++) Assert.Equal(expected[i].Reward!.Value, rows[i].GetProperty("reward").GetDouble(), 4);
    }

    [Fact]
    public void Compare_runs_both_methods_by_their_setting_specs()
    {
        using var temp = new TempFolder();
        var prompts = temp.Sub("prompts.jsonl");
        File.WriteAllLines(prompts, Prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"q{i}", prompt = p })));
        var folder = temp.Sub("out");
        var run = Cli.Run("compare", "--model", Demo, "--guide", "proxy", "--prompts", prompts, "--setting", "greedy", "--setting", "cards gain=0.5 max-segment=4",
            "--setting", "spec-rejection n=4 alpha=0.5 first=2", "--no-coherence", "--max-new-tokens", "8", "--output", folder, "--no-report", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        var result = ComparisonResultFiles.Load(folder);
        Assert.Equal(new[] { "greedy", "cards gain=0.5 max-segment=4", "speculative-rejection n=4 alpha=0.5 first=2" }, result.Summaries.Select(s => s.Setting));
        Assert.Equal(9, result.Responses.Count);
        // Both methods call the guide while they decode; greedy never does.
        Assert.Equal(0, result.Summaries[0].RewardCallsPerResponse);
        Assert.All(result.Summaries.Skip(1), s => Assert.True(s.RewardCallsPerResponse > 0, s.Setting));
    }

    [Theory]
    [InlineData("cards beta=0", "β (the sampling and acceptance temperature) must be above 0, got 0")]
    [InlineData("spec-rejection alpha=2", "The rejection rate α must be between 0 and 1 (exclusive), got 2")]
    public void Bad_method_values_are_usage_errors_naming_the_spec(string spec, string message)
    {
        var run = Cli.Run("generate", "--model", Demo, "--prompt", "Hi", "--reward", "proxy", "--strategy", spec);
        Assert.Equal(2, run.Code);
        Assert.StartsWith($"error: --strategy {spec}:", run.Error);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void A_shorthand_the_method_has_no_key_for_is_an_error()
    {
        var run = Cli.Run("generate", "--model", Demo, "--prompt", "Hi", "--reward", "proxy", "--strategy", "cards", "--w", "2");
        Assert.Equal(2, run.Code);
        Assert.Contains("unknown key 'w' for cards", run.Error);
    }
}
