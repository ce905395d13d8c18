using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using static AlignedGen.ML.Tests.QualityOracle;

namespace AlignedGen.ML.Tests;

/// <summary>MeasureAlignmentQuality saved and loaded gives the same columns and values; unsavable sources and changed models fail clearly.</summary>
public class MeasureQualitySaveLoadTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void RoundTripsWithIdenticalMetrics()
    {
        var rows = Rows(5);
        var data = _ml.Data.LoadFromEnumerable(rows);
        var options = new MeasureQualityOptions
        {
            GuidingReward = RewardReference.Proxy(new ProxyRewardOptions { UseRelevance = false, MaxSequenceLength = 300 }),
            HeldOutReward = RewardReference.FromFolder(TestModels.RewardModel),
            Embedder = EmbedderReference.MiniLm(new SentenceEmbedderOptions { BatchSize = 4, MaxLength = 64 }),
            FluencyModelFolder = TestModels.LanguageModel, Execution = new ExecutionOptions(intraOpThreads: 1),
            PromptEncoding = new GenerationOptions(addSpecialTokens: false), BatchSize = 2, ReferenceColumnName = "Reference",
            ColumnPrefix = "Q_", FluencyColumnName = "Nll",
        };
        using var original = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", options).Fit(data);
        var path = Path.Combine(TestModels.NewFolder("quality"), "quality.zip");
        original.Save(path);
        using var loaded = Assert.IsType<QualityMeasuringTransformer>(AlignedGenTransformerFile.Load(path));

        var (o, l) = (original.Options, loaded.Options);
        Assert.Equal(original.OutputColumnNames, loaded.OutputColumnNames);
        Assert.Equal(new[] { "Q_HeldOutReward", "Q_GuidingReward", "Q_Diversity", "Q_Coherence", "Nll", "Q_Length" }, loaded.OutputColumnNames);
        Assert.Equal((original.FluencyModelFingerprint, original.HeldOutRewardFingerprint), (loaded.FluencyModelFingerprint, loaded.HeldOutRewardFingerprint));
        Assert.NotNull(loaded.FluencyModelFingerprint);
        Assert.Equal((o.BatchSize, o.ReferenceColumnName, o.MeasureDiversity, o.FluencyModelFolder), (l.BatchSize, l.ReferenceColumnName, l.MeasureDiversity, l.FluencyModelFolder));
        Assert.Equal((false, 1), (l.PromptEncoding.AddSpecialTokens, l.Execution!.IntraOpThreads));
        Assert.Equal((EmbedderReferenceKind.MiniLm, 4, 64), (l.Embedder!.Kind, l.Embedder.Options!.BatchSize, l.Embedder.Options.MaxLength));
        Assert.Equal((false, 300), (l.GuidingReward!.ProxyOptions!.UseRelevance, l.GuidingReward.ProxyOptions.MaxSequenceLength));

        var before = _ml.Data.Cache(original.Transform(data));
        var after = _ml.Data.Cache(loaded.Transform(data));
        Assert.Equal(before.Schema.Select(c => (c.Name, c.Type.ToString())), after.Schema.Select(c => (c.Name, c.Type.ToString())));
        foreach (var column in original.OutputColumnNames.Where(n => n != "Q_Length"))
            Assert.Equal(Doubles(before, column), Doubles(after, column));
        Assert.Equal(before.GetColumn<int>("Q_Length"), after.GetColumn<int>("Q_Length"));
    }

    [Fact]
    public void OneRewardAsGuideAndJudgeStaysOne()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(2));
        var spec = RewardReference.FromFolder(TestModels.RewardModel);
        var path = Path.Combine(TestModels.NewFolder("quality"), "same.zip");
        _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { GuidingReward = spec, HeldOutReward = spec }).Fit(data).Save(path);
        var loaded = Assert.IsType<QualityMeasuringTransformer>(AlignedGenTransformerFile.Load(path));
        Assert.Same(loaded.Options.GuidingReward, loaded.Options.HeldOutReward);
        var output = loaded.Transform(data);
        Assert.Equal(Doubles(output, "GuidingReward"), Doubles(output, "HeldOutReward"));
    }

    [Fact]
    public void CodeBuiltSourcesCannotBeSaved()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        var path = Path.Combine(TestModels.NewFolder("quality"), "nope.zip");
        var reward = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response",
            new MeasureQualityOptions { HeldOutReward = RewardReference.FromSource(DelegateRewardSource.PerQuery("d", _ => 1f)) }).Fit(data);
        Assert.Contains("RewardReference.FromFolder", Assert.Throws<NotSupportedException>(() => reward.Save(path)).Message);
        var embedder = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response",
            new MeasureQualityOptions { Embedder = EmbedderReference.FromEmbedder(new ConstantEmbedder()) }).Fit(data);
        Assert.Contains("EmbedderReference.MiniLm", Assert.Throws<NotSupportedException>(() => embedder.Save(path)).Message);
        Assert.False(File.Exists(path));
        // A constant embedder makes every prompt and response identical: coherence 1 (or 0 for a zero vector).
        Assert.All(Doubles(embedder.Transform(data), "Coherence"), c => Assert.Equal(1.0, c, 6));
    }

    [Fact]
    public void ChangedFluencyModelFailsAndRelocatedOneLoads()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(3));
        var copy = TestModels.Copy(TestModels.LanguageModel, "lm");
        var path = Path.Combine(TestModels.NewFolder("quality"), "fluency.zip");
        using (var t = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { FluencyModelFolder = copy }).Fit(data)) t.Save(path);
        var expected = Doubles(_ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { FluencyModelFolder = TestModels.LanguageModel }).Fit(data).Transform(data), "Fluency");

        var moved = copy + "-moved";
        Directory.Move(copy, moved);
        var gone = Assert.Throws<ModelFolderException>(() => AlignedGenTransformerFile.Load(path));
        Assert.Contains("fluency model", gone.Message);
        using var relocated = Assert.IsType<QualityMeasuringTransformer>(AlignedGenTransformerFile.Load(path, new Dictionary<string, string> { [copy] = moved }));
        Assert.Equal(expected, Doubles(relocated.Transform(data), "Fluency"));

        File.AppendAllText(Path.Combine(moved, "config.json"), " ");
        var changed = Assert.Throws<ModelFolderException>(() => AlignedGenTransformerFile.Load(path, new Dictionary<string, string> { [copy] = moved }));
        Assert.Contains("changed since", changed.Message);
    }

    [Fact]
    public void ChainWithMlNetTransformsRoundTrips()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(4));
        var pipeline = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { HeldOutReward = RewardReference.FromFolder(TestModels.RewardModel) })
            .Append(_ml.Transforms.Concatenate("Metrics", "HeldOutReward", "Diversity"));
        var chain = pipeline.Fit(data);
        var path = Path.Combine(TestModels.NewFolder("quality"), "chain.zip");
        AlignedGenTransformerFile.Save(_ml, chain, data.Schema, path);
        var loaded = AlignedGenTransformerFile.Load(path, mlContext: _ml);
        var before = chain.Transform(data).GetColumn<VBuffer<double>>("Metrics").Select(v => v.DenseValues().ToArray()).ToArray();
        var after = loaded.Transform(data).GetColumn<VBuffer<double>>("Metrics").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal(before, after);
        Assert.Equal(Doubles(chain.Transform(data), "HeldOutReward"), before.Select(v => v[0]));
    }

    /// <summary>Embeds every text as the same unit vector.</summary>
    private sealed class ConstantEmbedder : ISentenceEmbedder
    {
        public string Name => "constant";
        public int Dimension => 2;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => texts.Select(_ => new[] { 0.6f, 0.8f }).ToArray();
    }
}
