using AlignedGen.Decoding;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>The transforms inside ML.NET pipelines: after LoadFromTextFile, before FeaturizeText, and with AppendCacheCheckpoint.</summary>
public class PipelineTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void RunsBetweenTextLoaderAndFeaturizeTextInATransformerChain()
    {
        var folder = TestModels.NewFolder("pipeline");
        var tsv = Path.Combine(folder, "prompts.tsv");
        var prompts = PromptRow.Make(5);
        File.WriteAllLines(tsv, new[] { "id\tprompt" }.Concat(prompts.Select(p => $"{p.Id}\t{p.Prompt}")));
        var data = _ml.Data.LoadFromTextFile(tsv, new[]
        {
            new TextLoader.Column("Id", DataKind.String, 0), new TextLoader.Column("Prompt", DataKind.String, 1),
        }, separatorChar: '\t', hasHeader: true, allowQuoting: false, trimWhitespace: false);

        var generation = new GenerationOptions(maxNewTokens: 8, batchSize: 2);
        var pipeline = _ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel) { Generation = generation })
            .Append(_ml.Transforms.Text.FeaturizeText("Features", "Response"));
        var model = pipeline.Fit(data);
        Assert.IsType<TextGenerationTransformer>(model.First());
        var output = model.Transform(data);

        var expected = Direct.Generate(prompts, SamplingStrategy.Greedy, generation).Select(r => r.Text).ToArray();
        Assert.Equal(expected, Direct.Texts(output, "Response"));
        var features = output.GetColumn<VBuffer<float>>("Features").ToArray();
        Assert.Equal(5, features.Length);
        Assert.All(features, f => Assert.Contains(f.DenseValues(), v => v != 0));
        // Rows with the same response get the same features: FeaturizeText saw the generated text.
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                if (expected[i] == expected[j]) Assert.Equal(features[i].DenseValues(), features[j].DenseValues());

        // The whole chain (ML.NET's FeaturizeText included) saves and loads through AlignedGenTransformerFile.
        var path = Path.Combine(folder, "chain.zip");
        AlignedGenTransformerFile.Save(_ml, model, data.Schema, path);
        var loaded = Assert.IsType<TransformerChain<ITransformer>>(AlignedGenTransformerFile.Load(path, mlContext: _ml));
        Assert.Equal(new[] { typeof(TextGenerationTransformer) }, loaded.Take(1).Select(t => t.GetType()));
        var reloaded = loaded.Transform(data);
        Assert.Equal(expected, Direct.Texts(reloaded, "Response"));
        Assert.Equal(features.Select(f => f.DenseValues().ToArray()), reloaded.GetColumn<VBuffer<float>>("Features").Select(f => f.DenseValues().ToArray()));
    }

    [Fact]
    public void CacheCheckpointDecodesOnceForAMultiPassConsumer()
    {
        var progress = new CountingProgress();
        RewardGuidedDecodingOptions Options(IProgress<GenerationProgress> p) => new(TestModels.LanguageModel,
            RewardReference.FromSource(DelegateRewardSource.PerQuery("letters", q => q.Response.Count(char.IsLetter))), new ArgsOptions(topK: 3))
        {
            Generation = new GenerationOptions(maxNewTokens: 4, batchSize: 4), Progress = p,
        };
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(6));

        // Fitting: with the checkpoint, the estimators after it read cached responses; 6 prompts in batches of 4 = 2 batches, once.
        var uncached = new CountingProgress();
        _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", Options(uncached))
            .Append(_ml.Transforms.Text.FeaturizeText("Features", "Response"))
            .Append(_ml.Transforms.Text.FeaturizeText("Features2", "Response")).Fit(data);
        var model = _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt", Options(progress))
            .AppendCacheCheckpoint(_ml)
            .Append(_ml.Transforms.Text.FeaturizeText("Features", "Response"))
            .Append(_ml.Transforms.Text.FeaturizeText("Features2", "Response")).Fit(data);
        Assert.Equal(2, progress.Reports);
        Assert.True(uncached.Reports >= 2 * progress.Reports, $"without the checkpoint the two featurizers decode again ({uncached.Reports} batches)");

        // Transforming: a multi-pass consumer over a cached view of the responses decodes once.
        var before = progress.Reports;
        var decoder = Assert.IsType<TextGenerationTransformer>(model.First());
        var generated = _ml.Data.Cache(decoder.Transform(data), "Response");
        var first = Direct.Texts(generated, "Response");
        var second = Direct.Texts(generated, "Response");
        Assert.Equal(first, second);
        Assert.Equal(2, progress.Reports - before);
    }
}
