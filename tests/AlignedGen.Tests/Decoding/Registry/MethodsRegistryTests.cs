using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Decoding.Registry;

/// <summary>
/// CARDS and Speculative Rejection through the registry: their specs build the options the keys name (oracle: the
/// options constructors called directly), the unset r* and explicit decision points print and read back, and every
/// spelling the surfaces use finds them. Round trips, reward needs and bad values are in <see cref="StrategyRegistryTests"/>'s theories.
/// </summary>
public class MethodsRegistryTests
{
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
}
