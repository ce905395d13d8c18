using AlignedGen.Decoding;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>ApplyDarwinDecoding against DarwinStrategy called directly (the oracle), across batch sizes, and its save/load.</summary>
public class DarwinTransformTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static DarwinOptions Small(ChatTemplate? template = null) => new(mutations: 2, replacementPeriod: 3, keep: 1, iterations: 1,
        mutationMaxNewTokens: 12, mutationChatTemplate: template);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchesTheCoreLibrary(int batchSize)
    {
        var prompts = PromptRow.Make(3);
        var generation = new GenerationOptions(maxNewTokens: 6, batchSize: batchSize, seed: 5);
        var options = new DarwinDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), Small()) { Generation = generation, CostColumnName = "Cost" };
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var output = _ml.Transforms.Text.ApplyDarwinDecoding("Response", "Prompt", options).Fit(data).Transform(data);

        var expected = Direct.Generate(prompts, new DarwinStrategy(Small()), new GenerationOptions(maxNewTokens: 6, batchSize: 3, seed: 5), TestModels.RewardModel);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(output, "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(output, "Reward"));
        Assert.All(expected, r => Assert.IsType<DarwinTrace>(r.Trace));
    }

    [Fact]
    public void RoundTripsThroughSaveAndLoad()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(2));
        var options = new DarwinDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), Small(ChatTemplate.ChatML))
        {
            Generation = new GenerationOptions(maxNewTokens: 5, seed: 8), TokenCountColumnName = "Tokens",
        };
        using var original = _ml.Transforms.Text.ApplyDarwinDecoding("Response", "Prompt", options).Fit(data);
        Assert.Equal("ApplyDarwinDecoding", original.TransformName);
        var path = Path.Combine(TestModels.NewFolder("darwin"), "darwin.zip");
        original.Save(path);
        using var loaded = Assert.IsType<TextGenerationTransformer>(AlignedGenTransformerFile.Load(path));
        var darwin = Assert.IsType<DarwinDecodingOptions>(loaded.Options).Darwin;
        Assert.Equal((2, 3, 1, 1, 12, "chatml"), (darwin.Mutations, darwin.ReplacementPeriod, darwin.Keep, darwin.Iterations, darwin.MutationMaxNewTokens, darwin.MutationChatTemplate!.Name));
        Assert.Equal(Small().MutationPrompt, darwin.MutationPrompt);
        Assert.Equal(Direct.Texts(original.Transform(data), "Response"), Direct.Texts(loaded.Transform(data), "Response"));
        Assert.Equal(original.Transform(data).GetColumn<int>("Tokens"), loaded.Transform(data).GetColumn<int>("Tokens"));
    }

    [Fact]
    public void CustomMutationTemplatesCannotBeSaved()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var options = new DarwinDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), Small(ChatTemplate.Custom("U: {user}\n", "A: {assistant}\n")));
        using var transformer = _ml.Transforms.Text.ApplyDarwinDecoding("Response", "Prompt", options).Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => transformer.Save(Path.Combine(TestModels.NewFolder("darwin"), "x.zip")));
        Assert.Contains("custom", e.Message);
    }
}
