using AlignedGen.Decoding;
using AlignedGen.Rewards;
using Microsoft.ML;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>
/// ApplyRewardGuidedDecoding takes any registered strategy by spec; the saved file holds the strategy's registered name
/// and values and composite rewards of folders; a strategy that does not use the reward gets its responses scored after.
/// </summary>
public class RegistryStrategyTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void A_spec_strategy_decodes_like_the_core_and_round_trips_through_a_saved_file()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(3));
        var generation = new GenerationOptions(maxNewTokens: 5, batchSize: 2, seed: 4);
        var spec = StrategySpec.Parse("best-of-3 t=0.9 top-k=20");
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), spec) { Generation = generation };
        using var transformer = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data);
        var expected = Direct.Generate(PromptRow.Make(3), new BestOfNStrategy(new BestOfNOptions(3, new SamplingOptions(0.9, 20))), generation, TestModels.RewardModel);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(transformer.Transform(data), "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(transformer.Transform(data), "Reward"));

        var path = Path.Combine(TestModels.NewFolder("registry"), "best.zip");
        transformer.Save(path);
        using var loaded = Assert.IsType<TextGenerationTransformer>(AlignedGenTransformerFile.Load(path));
        Assert.Equal("best-of-3 t=0.9 top-k=20", loaded.Options.Strategy.Label);
        Assert.Equal(spec.Options, ((RewardGuidedDecodingOptions)loaded.Options).BestOfN);
        Assert.Equal(Direct.Texts(transformer.Transform(data), "Response"), Direct.Texts(loaded.Transform(data), "Response"));
    }

    [Fact]
    public void A_strategy_without_a_reward_is_scored_after_and_a_composite_of_folders_is_saved_with_fingerprints()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(2));
        var generation = new GenerationOptions(maxNewTokens: 4, seed: 1);
        var composite = RewardReference.Composite(new[]
        {
            new WeightedRewardReference(RewardReference.FromFolder(TestModels.RewardModel), 2),
            new WeightedRewardReference(RewardReference.FromFolder(TestModels.RewardModel), -0.5),
        }, "rm-mix");
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, composite, StrategySpec.Parse("greedy")) { Generation = generation };
        using var transformer = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data);
        var greedy = Direct.Generate(PromptRow.Make(2), SamplingStrategy.Greedy, generation);
        using var rm = RewardModelLoader.FromFolder(TestModels.RewardModel);
        var single = rm.Score(greedy.Select(r => new RewardQuery(r.Prompt, r.Text) { PromptTokenIds = r.PromptTokenIds, ResponseTokenIds = r.TokenIds }).ToArray());
        Assert.Equal(greedy.Select(r => r.Text), Direct.Texts(transformer.Transform(data), "Response"));
        // The oracle sums the single model's scores by hand: 2·s − 0.5·s.
        var actual = Direct.Floats(transformer.Transform(data), "Reward");
        for (int i = 0; i < single.Length; i++) Assert.Equal(1.5 * single[i], actual[i], 4);
        Assert.NotNull(transformer.RewardFingerprint);

        var path = Path.Combine(TestModels.NewFolder("registry"), "composite.zip");
        transformer.Save(path);
        using var loaded = Assert.IsType<TextGenerationTransformer>(AlignedGenTransformerFile.Load(path));
        Assert.Equal((RewardReferenceKind.Composite, "rm-mix", 2), (loaded.Reward!.Kind, loaded.Reward.Name, loaded.Reward.Components.Count));
        Assert.Equal(actual, Direct.Floats(loaded.Transform(data), "Reward"));
    }

    [Fact]
    public void A_code_built_part_of_a_composite_refuses_to_save_with_the_reason()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var composite = RewardReference.Composite(new[]
        {
            new WeightedRewardReference(RewardReference.FromFolder(TestModels.RewardModel)),
            new WeightedRewardReference(RewardReference.FromDelegate("len", q => q.Response.Length)),
        });
        using var transformer = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Prompt", new ScoreRewardOptions(composite)).Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => transformer.Save(Path.Combine(TestModels.NewFolder("registry"), "x.zip")));
        Assert.Contains("ScoreReward cannot be saved", e.Message);
        Assert.Contains("built in code", e.Message);
    }
}
