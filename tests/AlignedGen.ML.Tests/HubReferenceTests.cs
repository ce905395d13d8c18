using AlignedGen.Decoding;
using AlignedGen.FakeHub;
using AlignedGen.Hub;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>The estimators' model and reward paths take hf:org/name references, served here by a local fake Hub.</summary>
public sealed class HubReferenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly FakeHubServer _hub = new();
    private readonly string _cache = TestModels.NewFolder("hub-cache");

    public HubReferenceTests()
    {
        _hub.AddRepository("org/demo").AddFolder(TestModels.LanguageModel);
        _hub.AddRepository("org/rm").AddFolder(TestModels.RewardModel);
    }

    private HubOptions Hub => new(_hub.Endpoint, null, _cache, offline: false, checkForUpdates: false, maxRetries: 0, TimeSpan.FromSeconds(10));

    [Fact]
    public void Reward_guided_decoding_over_hub_references_matches_the_local_folders()
    {
        var prompts = PromptRow.Make(3);
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var generation = new GenerationOptions(maxNewTokens: 6, batchSize: 2);
        var args = new ArgsOptions(topK: 3, weight: 1.0);

        var reward = RewardReference.FromFolder("hf:org/rm", hub: Hub);
        Assert.StartsWith(Path.GetFullPath(_cache), reward.Folder);
        var fromHub = new RewardGuidedDecodingOptions("hf:org/demo", reward, args) { Generation = generation, Hub = Hub };
        Assert.Equal("hf:org/demo", fromHub.ModelReference);
        Assert.Empty(_hub.Requests.Where(r => r.Path.Contains("demo", StringComparison.Ordinal)));   // the model downloads when the transform is built
        var hubTexts = Direct.Texts(_ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", fromHub).Fit(data).Transform(data), "Response");

        Assert.StartsWith(Path.GetFullPath(_cache), fromHub.ModelFolder);
        var local = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), args) { Generation = generation };
        Assert.Equal(Direct.Texts(_ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", local).Fit(data).Transform(data), "Response"), hubTexts);
    }

    [Fact]
    public void The_fluency_model_takes_a_hub_reference()
    {
        var fromHub = new MeasureQualityOptions { FluencyModelFolder = "hf:org/demo", Hub = Hub };
        var local = new MeasureQualityOptions { FluencyModelFolder = TestModels.LanguageModel };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(4).Select(r => { r.Reference = "the cat sat on the mat " + r.Id; return r; }).ToArray());

        double[] Fluency(MeasureQualityOptions options) =>
            _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Reference", options).Fit(data).Transform(data).GetColumn<double>(MeasureQualityOptions.FluencyName).ToArray();

        Assert.Equal(Fluency(local), Fluency(fromHub));
        Assert.StartsWith(Path.GetFullPath(_cache), fromHub.FluencyModelFolder);
    }

    [Fact]
    public void A_malformed_hub_reference_fails_when_the_options_are_made()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new GenerateTextOptions("hf:not a repo"));
        Assert.Contains("hf:", error.Message);
    }

    [Fact]
    public void An_unknown_repository_names_itself_when_the_transform_is_built()
    {
        var options = new GenerateTextOptions("hf:org/missing") { Hub = Hub };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var error = Assert.Throws<HubException>(() => _ml.Transforms.Text.GenerateText("Response", "Prompt", options).Fit(data));
        Assert.Equal(HubErrorKind.RepositoryNotFound, error.Kind);
        Assert.Contains("org/missing", error.Message);
    }

    public void Dispose() => _hub.Dispose();
}
