using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Decoding.Registry;

/// <summary>
/// CARDS and Speculative Rejection through the registry: their specs build the options the keys name (oracle: the
/// options constructors called directly), labels and options round-trip (the unset r* and explicit decision points
/// included), every spelling the surfaces use finds them, and bad values name the spec, the key and the fix.
/// </summary>
public class MethodsRegistryTests
{
    public static TheoryData<string> Specs => new()
    {
        "cards", "cards r=6", "cards r=-1.5 entropy=2.5 alpha=0.3 beta=1 top-k=0 min-segment=2 max-segment=8 retries=3 hard=1", "cards gain=11",
        "speculative-rejection", "spec-rejection n=24 alpha=0.5", "spec-rejection n=8 alpha=0.25 first=4 t=0.9 top-k=20 top-p=0.95",
        "spec-rejection n=6 points=4,8,16",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Labels_parse_back_to_equal_options_and_the_options_describe_the_same_label(string text)
    {
        var spec = StrategySpec.Parse(text);
        var again = StrategySpec.Parse(spec.Label);
        Assert.Equal(spec.Options, again.Options);
        Assert.Equal(spec.Values, again.Values);
        Assert.Equal(spec.Label, StrategySpec.From(spec.Options).Label);
        Assert.Null(spec.WhyNotWritable);
        Assert.True(spec.NeedsReward);
    }

    [Fact]
    public void Cards_keys_build_the_options_they_name()
    {
        var cards = Assert.IsType<CardsStrategy>(StrategySpec.Parse("cards r=-1.5 entropy=2.5 alpha=0.3 beta=1 top-k=0 min-segment=2 max-segment=8 retries=3 hard=1").CreateStrategy());
        Assert.Equal(new CardsOptions(rewardThreshold: -1.5, entropyThreshold: 2.5, alpha: 0.3, beta: 1, topK: 0, minSegmentLength: 2, maxSegmentLength: 8,
            maxRetries: 3, acceptance: CardsAcceptance.Hard), cards.Options);
        // Without r, r* stays per prompt (reward(prompt) + gain) and the label does not show r.
        var relative = StrategySpec.Parse("cards gain=11");
        Assert.Equal(new CardsOptions(rewardGain: 11), relative.Options);
        Assert.Null(((CardsOptions)relative.Options).RewardThreshold);
        Assert.Equal("cards gain=11", relative.Label);
        Assert.DoesNotContain("r", relative.NumericValues.Keys);
        Assert.Null(((CardsOptions)StrategyRegistry.Default.Get("cards").Create(new Dictionary<string, object?> { ["RewardThreshold"] = null }).Options).RewardThreshold);
        Assert.Equal(6.0, StrategySpec.Parse("cards r=6").NumericValues["r"]);
        Assert.Equal("cards r=6", StrategySpec.From(new CardsOptions(rewardThreshold: 6)).Label);
        Assert.Equal("cards", StrategySpec.From(CardsOptions.Default).Label);
    }

    [Fact]
    public void Speculative_rejection_keys_build_the_options_they_name()
    {
        var spec = StrategySpec.Parse("spec-rejection n=24 alpha=0.5");
        Assert.Equal("speculative-rejection n=24 alpha=0.5", spec.Label);
        Assert.Equal(new SpeculativeRejectionOptions(24, 0.5), Assert.IsType<SpeculativeRejectionStrategy>(spec.CreateStrategy()).Options);
        var sampled = StrategySpec.Parse("speculative-rejection n=8 alpha=0.25 first=4 t=0.9 top-k=20 top-p=0.95");
        Assert.Equal(new SpeculativeRejectionOptions(8, 0.25, 4, sampling: new SamplingOptions(0.9, 20, 0.95)), sampled.Options);
        var points = (SpeculativeRejectionOptions)StrategySpec.Parse("spec-rejection n=6 points=\"4, 8, 16\"").Options;
        Assert.Equal(new[] { 4, 8, 16 }, points.DecisionPoints);
        Assert.Equal(new SpeculativeRejectionOptions(6, decisionPoints: new[] { 4, 8, 16 }), points);
        Assert.NotEqual(new SpeculativeRejectionOptions(6, decisionPoints: new[] { 4, 8, 17 }), points);
        Assert.Equal("speculative-rejection n=6 alpha=0.5 points=4,8,16", StrategySpec.From(points).Label);
    }

    [Theory]
    [InlineData("Cards", "cards")]
    [InlineData("SpeculativeRejection", "speculative-rejection")]
    [InlineData("spec-rejection", "speculative-rejection")]
    [InlineData("SpecRejection", "speculative-rejection")]
    public void Names_match_in_every_spelling_surfaces_use(string typed, string name)
        => Assert.Equal(name, StrategyRegistry.Default.Get(typed).Name);

    [Fact]
    public void Parameter_names_are_what_cmdlets_and_ml_net_show()
    {
        Assert.Equal(new[] { "RewardThreshold", "RewardGain", "EntropyThreshold", "Alpha", "Beta", "TopK", "MinSegmentLength", "MaxSegmentLength", "MaxRetries", "HardAcceptance" },
            StrategyRegistry.Default.Get("cards").Parameters.Select(p => p.Name));
        Assert.Equal(new[] { "N", "Alpha", "FirstDecision", "DecisionPoints", "Temperature", "TopK", "TopP" },
            StrategyRegistry.Default.Get("SpeculativeRejection").Parameters.Select(p => p.Name));
        Assert.Contains("speculative-rejection | spec-rejection [n=16] [alpha=0.5] [first=8]", StrategyRegistry.Default.Syntax);
    }

    [Fact]
    public void Comparison_specs_take_both_with_their_labels_and_families()
    {
        var settings = ComparisonSettingSpec.ParseAll(new[] { "cards r=6", "spec-rejection n=24 alpha=0.5" });
        Assert.Equal(new[] { "cards r=6", "speculative-rejection n=24 alpha=0.5" }, settings.Select(s => s.Label));
        Assert.Equal(new[] { "cards", "speculative-rejection" }, settings.Select(s => s.Family));
        Assert.IsType<CardsStrategy>(settings[0].Strategy);
        Assert.IsType<SpeculativeRejectionStrategy>(settings[1].Strategy);
    }

    [Theory]
    [InlineData("cards alpha=1.5", "α must be between 0 and 1, got 1.5")]
    [InlineData("cards max-segment=2 min-segment=4", "The longest segment (2 tokens) must be at least the shortest (4)")]
    [InlineData("cards r=high", "key 'r' must be a number, got 'high'")]
    [InlineData("cards hard=2", "key 'hard' must be 0 or 1")]
    [InlineData("spec-rejection alpha=1", "The rejection rate α must be between 0 and 1 (exclusive), got 1")]
    [InlineData("spec-rejection n=0", "at least 1 sample per prompt (N), got 0")]
    [InlineData("spec-rejection points=8,x", "'x' is not one")]
    [InlineData("spec-rejection points=16,8", "strictly increasing order")]
    [InlineData("spec-rejection t=0", "temperature above 0")]
    [InlineData("spec-rejection window=4", "unknown key 'window' for speculative-rejection")]
    public void Bad_values_name_the_spec_and_the_problem(string text, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => StrategySpec.Parse(text));
        Assert.Equal("spec", e.ParamName);
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
