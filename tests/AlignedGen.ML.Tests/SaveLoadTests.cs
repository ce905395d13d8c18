using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>Save → load gives identical outputs; a moved or changed model folder fails with a clear error.</summary>
public class SaveLoadTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void ArgsTransformerRoundTripsWithIdenticalOutput()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(5));
        var options = new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), new ArgsOptions(topK: 4, weight: 2, stochastic: true, temperature: 0.9))
        {
            Generation = new GenerationOptions(maxNewTokens: 6, batchSize: 2, stopStrings: new[] { "." }, seed: 3),
            ReferenceColumnName = "Reference", TokenCountColumnName = "Tokens", FinishReasonColumnName = "Finish", CostColumnName = "Cost",
        };
        using var original = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", options).Fit(data);
        var path = Path.Combine(TestModels.NewFolder("save"), "args.zip");
        original.Save(path);
        using var loaded = Assert.IsType<TextGenerationTransformer>(AlignedGenTransformerFile.Load(path));

        var (g0, g1) = (original.Options.Generation, loaded.Options.Generation);
        Assert.Equal((g0.MaxNewTokens, g0.BatchSize, g0.StopAtEos, g0.AddSpecialTokens, g0.ChatTemplate, g0.Seed), (g1.MaxNewTokens, g1.BatchSize, g1.StopAtEos, g1.AddSpecialTokens, g1.ChatTemplate, g1.Seed));
        Assert.Equal(g0.StopStrings, g1.StopStrings);
        Assert.Equal(original.ModelFingerprint, loaded.ModelFingerprint);
        Assert.Equal("Reference", loaded.Options.ReferenceColumnName);
        Assert.Equal(((RewardGuidedDecodingOptions)original.Options).Args, ((RewardGuidedDecodingOptions)loaded.Options).Args);
        var before = original.Transform(data);
        var after = loaded.Transform(data);
        Assert.Equal(before.Schema.Select(c => (c.Name, c.Type.ToString())), after.Schema.Select(c => (c.Name, c.Type.ToString())));
        Assert.Equal(Direct.Texts(before, "Response"), Direct.Texts(after, "Response"));
        Assert.Equal(Direct.Floats(before, "Reward"), Direct.Floats(after, "Reward"));
        Assert.Equal(before.GetColumn<int>("Tokens"), after.GetColumn<int>("Tokens"));
        Assert.Equal(Direct.Texts(before, "Finish"), Direct.Texts(after, "Finish"));
    }

    [Fact]
    public void GenerateTextAndBestOfNAndScoreRewardRoundTrip()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(3));
        var folder = TestModels.NewFolder("save");
        ITransformer[] transformers =
        {
            _ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel)
                { Sampling = new SamplingOptions(0.7, 10, 0.9), Generation = new GenerationOptions(maxNewTokens: 5, seed: 9), Execution = new ExecutionOptions(intraOpThreads: 1) }).Fit(data),
            _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", new RewardGuidedDecodingOptions(TestModels.LanguageModel,
                RewardReference.FromFolder(TestModels.RewardModel), new BestOfNOptions(3, new SamplingOptions(0.8), keepAll: true)) { Generation = new GenerationOptions(maxNewTokens: 5, seed: 2) }).Fit(data),
            _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Id", new ScoreRewardOptions(RewardReference.FromFolder(TestModels.RewardModel)) { BatchSize = 2 }).Fit(data),
        };
        for (int i = 0; i < transformers.Length; i++)
        {
            var path = Path.Combine(folder, $"t{i}.zip");
            if (transformers[i] is TextGenerationTransformer t) t.Save(path); else ((RewardScoringTransformer)transformers[i]).Save(path);
            var loaded = AlignedGenTransformerFile.Load(path);
            Assert.Equal(transformers[i].GetType(), loaded.GetType());
            var column = i == 2 ? "Score" : "Response";
            if (i == 2) Assert.Equal(Direct.Floats(transformers[i].Transform(data), column), Direct.Floats(loaded.Transform(data), column));
            else Assert.Equal(Direct.Texts(transformers[i].Transform(data), column), Direct.Texts(loaded.Transform(data), column));
        }
    }

    [Fact]
    public void ProxyRewardSavesItsOptions()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var proxy = new ProxyRewardOptions { Name = "p", UseRelevance = false, MaxSequenceLength = 300, StopMarkers = new[] { "###" } };
        var transformer = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Prompt", new ScoreRewardOptions(RewardReference.Proxy(proxy))).Fit(data);
        var path = Path.Combine(TestModels.NewFolder("save"), "proxy.zip");
        transformer.Save(path);
        var loaded = Assert.IsType<RewardScoringTransformer>(AlignedGenTransformerFile.Load(path));
        var p = loaded.Options.Reward.ProxyOptions!;
        Assert.Equal(("p", false, 300, "###"), (p.Name, p.UseRelevance, p.MaxSequenceLength, p.StopMarkers.Single()));
        Assert.Equal(Direct.Floats(transformer.Transform(data), "Score"), Direct.Floats(loaded.Transform(data), "Score"));
    }

    [Fact]
    public void MovedModelFailsClearlyAndRelocationFixesIt()
    {
        var lm = TestModels.Copy(TestModels.LanguageModel, "lm");
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(2));
        var transformer = _ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(lm) { Generation = new(maxNewTokens: 4) }).Fit(data);
        var expected = Direct.Texts(transformer.Transform(data), "Response");
        transformer.Dispose();
        var path = Path.Combine(TestModels.NewFolder("save"), "moved.zip");
        transformer.Save(path);
        var moved = lm + "-moved";
        Directory.Move(lm, moved);

        var e = Assert.Throws<ModelFolderException>(() => AlignedGenTransformerFile.Load(path));
        Assert.Equal(lm, e.Path);
        Assert.Contains("gone", e.Message);
        Assert.Contains("new location", e.Fix);

        var loaded = AlignedGenTransformerFile.Load(path, new Dictionary<string, string> { [lm] = moved });
        Assert.Equal(expected, Direct.Texts(loaded.Transform(data), "Response"));
    }

    [Fact]
    public void ChangedModelFailsClearly()
    {
        var rm = TestModels.Copy(TestModels.RewardModel, "rm");
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var transformer = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Prompt", new ScoreRewardOptions(RewardReference.FromFolder(rm))).Fit(data);
        transformer.Dispose();
        var path = Path.Combine(TestModels.NewFolder("save"), "changed.zip");
        transformer.Save(path);
        File.AppendAllText(Path.Combine(rm, "config.json"), " ");

        var e = Assert.Throws<ModelFolderException>(() => AlignedGenTransformerFile.Load(path));
        Assert.Equal(rm, e.Path);
        Assert.Contains("changed", e.Message);
    }

    [Fact]
    public void CodeBuiltRewardsAndMlNetsOwnSaveRefuseWithAReason()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var source = DelegateRewardSource.PerQuery("len", q => q.Response.Length);
        var transformer = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Prompt", new ScoreRewardOptions(RewardReference.FromSource(source))).Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => transformer.Save(Path.Combine(TestModels.NewFolder("save"), "x.zip")));
        Assert.Contains("RewardReference.FromFolder", e.Message);

        var viaMlNet = Record.Exception(() => _ml.Model.Save(transformer, data.Schema, Path.Combine(TestModels.NewFolder("save"), "mlnet.zip")));
        Assert.NotNull(viaMlNet);
        var all = string.Join(" | ", Flatten(viaMlNet!).Select(x => x.Message));
        Assert.Contains("AlignedGenTransformerFile.Load", all);
    }

    [Fact]
    public void NotATransformerFileFailsClearly()
    {
        var path = Path.Combine(TestModels.NewFolder("save"), "empty.zip");
        using (System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create)) { }
        var e = Assert.Throws<InvalidDataException>(() => AlignedGenTransformerFile.Load(path));
        Assert.Contains("transformer.json", e.Message);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }
}
