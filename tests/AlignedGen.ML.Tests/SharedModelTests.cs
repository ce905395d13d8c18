using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests;
using Microsoft.ML;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>ARGS through the transformer on the real shared models (stories260K + rm-llama-cached) equals the core library.</summary>
public class SharedModelTests
{
    [SkippableFact]
    public void ArgsOnStoriesMatchesTheCoreLibrary()
    {
        var lmFolder = SharedFolder.Require("models", "stories260K");
        var rmFolder = SharedFolder.Require("models", "rm-llama-cached");
        var ml = new MLContext(seed: 1);
        var prompts = new[] { "Once upon a time", "Lily wanted to", "The sun was", "Tom had a big", "One day, a little" };
        var data = ml.Data.LoadFromEnumerable(prompts.Select(p => new PromptRow { Prompt = p }));
        var args = new ArgsOptions(topK: 5);
        var generation = new GenerationOptions(maxNewTokens: 16, batchSize: 2);
        var output = ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt",
            new RewardGuidedDecodingOptions(lmFolder, RewardReference.FromFolder(rmFolder), args) { Generation = generation }).Fit(data).Transform(data);

        using var lm = OnnxCausalLanguageModel.Load(lmFolder);
        using var rm = RewardModelLoader.FromFolder(rmFolder);
        var expected = new TextGenerator(lm, rm).Generate(GenerationRequest.FromPrompts(prompts), new ArgsStrategy(args), generation);
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(output, "Response"));
        Assert.Equal(expected.Select(r => r.Reward!.Value), Direct.Floats(output, "Reward"));
    }
}
