using AlignedGen.Decoding;
using AlignedGen.Rewards;
using Microsoft.ML;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>
/// ApplyRewardGuidedDecoding takes CARDS and Speculative Rejection by spec: the transform decodes what the core's
/// strategies built from options objects decode, and a saved transform keeps the registered name and values.
/// </summary>
public class MethodsTransformTests
{
    private readonly MLContext _ml = new(seed: 1);

    public static TheoryData<string, object> Settings => new()
    {
        { "cards gain=0.5 max-segment=4 retries=2", new CardsStrategy(new CardsOptions(rewardGain: 0.5, maxSegmentLength: 4, maxRetries: 2)) },
        { "spec-rejection n=4 alpha=0.5 first=2", new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions(4, 0.5, 2)) },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_method_spec_decodes_like_the_core_strategy_and_round_trips_through_a_saved_file(string text, object strategy)
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(3));
        var generation = new GenerationOptions(maxNewTokens: 8, batchSize: 2, seed: 3);
        var spec = StrategySpec.Parse(text);
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), spec) { Generation = generation };
        using var transformer = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data);
        var expected = Direct.Generate(PromptRow.Make(3), (IDecodingStrategy)strategy, generation, TestModels.RewardModel);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(transformer.Transform(data), "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(transformer.Transform(data), "Reward"));

        var path = Path.Combine(TestModels.NewFolder("methods"), "method.zip");
        transformer.Save(path);
        using var loaded = Assert.IsType<TextGenerationTransformer>(AlignedGenTransformerFile.Load(path));
        Assert.Equal(spec.Label, loaded.Options.Strategy.Label);
        Assert.Equal(spec.Options, loaded.Options.Strategy.Options);
        Assert.Equal(Direct.Texts(transformer.Transform(data), "Response"), Direct.Texts(loaded.Transform(data), "Response"));
    }
}
