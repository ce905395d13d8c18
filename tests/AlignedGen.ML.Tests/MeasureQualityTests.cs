using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using static AlignedGen.ML.Tests.QualityOracle;

namespace AlignedGen.ML.Tests;

/// <summary>MeasureAlignmentQuality's columns equal the core QualityEvaluator on the same rows, one evaluation batch per BatchSize rows.</summary>
public class MeasureQualityTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static float LengthReward(RewardQuery q) => q.Response.Length / 10f + (q.Reference is null ? 0 : 100);

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    public void MatchesTheCoreEvaluatorWithOneRewardCallPerBatch(int count, int batchSize)
    {
        var rows = Rows(count);
        int calls = 0;
        var judge = DelegateRewardSource.Batched("judge", q => { calls++; return q.Select(LengthReward).ToArray(); });
        var options = new MeasureQualityOptions
        {
            HeldOutReward = RewardReference.FromSource(judge), FluencyModelFolder = TestModels.LanguageModel, BatchSize = batchSize, ReferenceColumnName = "Reference",
        };
        var data = _ml.Data.LoadFromEnumerable(rows);
        using var transformer = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", options).Fit(data);
        var output = transformer.Transform(data);
        Assert.Equal(new[] { "HeldOutReward", "Diversity", "Fluency", "Length" }, transformer.OutputColumnNames);

        var before = calls;
        var heldOut = Doubles(output, "HeldOutReward");
        Assert.Equal((count + batchSize - 1) / batchSize, calls - before);

        using var lm = OnnxCausalLanguageModel.Load(TestModels.LanguageModel);
        var expected = Evaluate(rows, new QualityEvaluatorOptions { HeldOutReward = DelegateRewardSource.PerQuery("judge", LengthReward), FluencyModel = lm, BatchSize = batchSize });
        Assert.Equal(Expected(expected, r => r.HeldOutReward), heldOut);
        Assert.Equal(Expected(expected, r => r.Diversity), Doubles(output, "Diversity"));
        Assert.Equal(Expected(expected, r => r.Fluency), Doubles(output, "Fluency"));
        Assert.Equal(expected.Select(r => r.Length), output.GetColumn<int>("Length"));
        Assert.Equal(rows.Select(r => r.Response), Direct.Texts(output, "Response"));
        // The references reached the reward (+100 on every third row) and lengths count the demo LM's byte tokens.
        Assert.All(heldOut.Where((_, i) => rows[i].Reference.Length > 0), h => Assert.True(h >= 100));
        Assert.Equal(rows.Select(r => System.Text.Encoding.UTF8.GetByteCount(r.Response)), output.GetColumn<int>("Length"));
    }

    [Fact]
    public void EveryMetricWithProxyRewardAndMiniLmEqualsTheCoreEvaluator()
    {
        var rows = Rows(7);
        var proxy = new ProxyRewardOptions { UseRelevance = false };
        var options = new MeasureQualityOptions
        {
            GuidingReward = RewardReference.Proxy(proxy), HeldOutReward = RewardReference.FromFolder(TestModels.RewardModel), Embedder = EmbedderReference.MiniLm(),
            FluencyModelFolder = TestModels.LanguageModel, BatchSize = 3, ColumnPrefix = "Q.", LengthColumnName = "Tokens",
        };
        var data = _ml.Data.LoadFromEnumerable(rows);
        using var transformer = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", options).Fit(data);
        var output = _ml.Data.Cache(transformer.Transform(data));
        Assert.Equal(new[] { "Q.HeldOutReward", "Q.GuidingReward", "Q.Diversity", "Q.Coherence", "Q.Fluency", "Tokens" }, transformer.OutputColumnNames);

        using var lm = OnnxCausalLanguageModel.Load(TestModels.LanguageModel);
        using var guide = new ProxyRewardSource(null, proxy); // relevance off: no embedder needed
        using var judge = RewardModelLoader.FromFolder(TestModels.RewardModel);
        using var embedder = MiniLmSentenceEmbedder.Create();
        var expected = Evaluate(rows, new QualityEvaluatorOptions { GuidingReward = guide, HeldOutReward = judge, Embedder = embedder, FluencyModel = lm, BatchSize = 3 });
        Assert.Equal(Expected(expected, r => r.GuidingReward), Doubles(output, "Q.GuidingReward"));
        Assert.Equal(Expected(expected, r => r.HeldOutReward), Doubles(output, "Q.HeldOutReward"));
        Assert.Equal(Expected(expected, r => r.Diversity), Doubles(output, "Q.Diversity"));
        Assert.Equal(Expected(expected, r => r.Coherence), Doubles(output, "Q.Coherence"));
        Assert.Equal(Expected(expected, r => r.Fluency), Doubles(output, "Q.Fluency"));
        Assert.Equal(expected.Select(r => r.Length), output.GetColumn<int>("Tokens"));
        Assert.All(Doubles(output, "Q.Coherence"), c => Assert.InRange(c, -1.0001, 1.0001));
    }

    [Fact]
    public void MissingValuesAreNaN()
    {
        var rows = new[] { new Row { Prompt = "The cat ", Response = "" }, new Row { Prompt = "The cat ", Response = "sat." } };
        var data = _ml.Data.LoadFromEnumerable(rows);
        var output = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { FluencyModelFolder = TestModels.LanguageModel })
            .Fit(data).Transform(data);
        var fluency = Doubles(output, "Fluency");
        Assert.True(double.IsNaN(fluency[0]), "an empty response has no fluency (null in the core library) and must read as NaN");
        Assert.True(double.IsFinite(fluency[1]) && fluency[1] > 0, $"fluency of 'sat.' should be a positive NLL, got {fluency[1]}");
        Assert.Equal(new[] { 1.0, 1.0 }, Doubles(output, "Diversity")); // too short for any 2-gram: factor 1 by the core convention
        Assert.Equal(new[] { 0, 4 }, output.GetColumn<int>("Length"));
        // ML.NET treats NaN as missing: filtering drops the row without a fluency.
        Assert.Equal(4, Assert.Single(_ml.Data.FilterRowsByMissingValues(output, "Fluency").GetColumn<int>("Length")));
        // Record files write the missing fluency as null.
        var path = Path.Combine(TestModels.NewFolder("quality"), "nan.jsonl");
        _ml.Data.SaveAsRecordFile(output, path);
        var saved = File.ReadAllLines(path).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("Fluency")).ToArray();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, saved[0].ValueKind);
        Assert.Equal(fluency[1], saved[1].GetDouble());
    }

    [Fact]
    public void DefaultsGiveDiversityAndWordLengthOnly()
    {
        var rows = Rows(3);
        var data = _ml.Data.LoadFromEnumerable(rows);
        using var transformer = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions()).Fit(data);
        Assert.Equal(new[] { "Diversity", "Length" }, transformer.OutputColumnNames);
        var output = transformer.Transform(data);
        Assert.Equal(rows.Select(r => DiversityMetric.Words(r.Response).Length), output.GetColumn<int>("Length"));
        Assert.Equal(rows.Select(r => DiversityMetric.Compute(r.Response)), Doubles(output, "Diversity"));
        var noDiversity = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { MeasureDiversity = false }).Fit(data);
        Assert.Equal(new[] { "Length" }, noDiversity.OutputColumnNames);
    }

    [Fact]
    public void SameRewardAsGuideAndJudgeIsScoredOnce()
    {
        int calls = 0;
        var spec = RewardReference.FromSource(DelegateRewardSource.Batched("both", q => { calls++; return q.Select(LengthReward).ToArray(); }));
        var data = _ml.Data.LoadFromEnumerable(Rows(4));
        var output = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { GuidingReward = spec, HeldOutReward = spec, BatchSize = 4 })
            .Fit(data).Transform(data);
        var before = calls;
        using var cursor = output.GetRowCursor(output.Schema);
        var guiding = cursor.GetGetter<double>(output.Schema["GuidingReward"]);
        var heldOut = cursor.GetGetter<double>(output.Schema["HeldOutReward"]);
        double g = 0, h = 0;
        while (cursor.MoveNext())
        {
            guiding(ref g);
            heldOut(ref h);
            Assert.Equal(g, h);
        }
        Assert.Equal(1, calls - before);
    }

    [Fact]
    public void ReportsProgressPerBatchAndHonoursCancellation()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(7));
        var progress = new List<EvaluationProgress>();
        var options = new MeasureQualityOptions { BatchSize = 3, Progress = new SynchronousProgress<EvaluationProgress>(progress.Add) };
        _ = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", options).Fit(data).Transform(data).GetColumn<int>("Length").ToArray();
        Assert.Equal(new[] { 3, 6, 7 }, progress.Select(p => p.Completed));

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var cancelled = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { Cancellation = cts.Token }).Fit(data).Transform(data);
        Assert.ThrowsAny<OperationCanceledException>(() => cancelled.GetColumn<int>("Length").ToArray());
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
