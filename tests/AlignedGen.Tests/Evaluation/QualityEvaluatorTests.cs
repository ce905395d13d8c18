using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>The per-response evaluator on existing rows and on rows with generator ids.</summary>
public class QualityEvaluatorTests
{
    [Fact]
    public void Existing_rows_get_every_asked_metric_batch_by_batch()
    {
        var guideQueries = new List<IReadOnlyList<RewardQuery>>();
        var guide = DelegateRewardSource.Batched("words", q => { guideQueries.Add(q); return q.Select(x => (float)DiversityMetric.Words(x.Response).Length).ToArray(); });
        var judge = DelegateRewardSource.PerQuery("prompt-length", q => q.Prompt.Length + (q.Reference is null ? 0 : 100));
        var embedder = new TableEmbedder(new() { ["p1"] = new float[] { 1, 0 }, ["a b a b a b"] = new float[] { 1, 1 } });
        var rows = new[]
        {
            new ResponseToEvaluate("p1", "a b a b a b") { Setting = "mine" },
            new ResponseToEvaluate("p22", "x y", "ref") { PromptId = "custom" },
            new ResponseToEvaluate("p333", ""),
            new ResponseToEvaluate("p1", "one two three"),
            new ResponseToEvaluate("p5", "the cat the cat sat"),
        };
        var progress = new List<EvaluationProgress>();
        var evaluator = new QualityEvaluator(new QualityEvaluatorOptions { GuidingReward = guide, HeldOutReward = judge, Embedder = embedder, BatchSize = 2 });
        var result = evaluator.Evaluate(rows, new ImmediateProgress<EvaluationProgress>(progress.Add));

        Assert.Equal(new[] { "0", "custom", "2", "3", "4" }, result.Select(r => r.PromptId));
        Assert.Equal(new[] { "mine", "", "", "", "" }, result.Select(r => r.Setting));
        Assert.Equal(new double?[] { 6, 2, 0, 3, 5 }, result.Select(r => r.GuidingReward));
        Assert.Equal(new double?[] { 2, 103, 4, 2, 2 }, result.Select(r => r.HeldOutReward));
        Assert.Equal(new[] { 6, 2, 0, 3, 5 }, result.Select(r => r.Length));
        // Hand-computed ARGS diversity of the first and last rows (see DiversityMetricTests).
        Assert.Equal(2.0 / 5 * 2.0 / 4 * 2.0 / 3, result[0].Diversity!.Value, 12);
        Assert.Equal(0.75, result[4].Diversity!.Value, 12);
        Assert.Equal(1 / Math.Sqrt(2), result[0].Coherence!.Value, 9);
        Assert.All(result, r => Assert.Null(r.Fluency));
        Assert.All(result, r => Assert.Null(r.Cost));
        Assert.All(result, r => Assert.Null(r.FinishReason));
        // Batch-first: one reward call per batch of 2, and text-only rows carry no token ids.
        Assert.Equal(new[] { 2, 2, 1 }, guideQueries.Select(q => q.Count));
        Assert.All(guideQueries.SelectMany(q => q), q => Assert.Null(q.ResponseTokenIds));
        Assert.Equal("ref", guideQueries[0][1].Reference);
        Assert.Equal(new[] { 2, 4, 5 }, progress.Select(p => p.Completed));
        Assert.All(progress, p => Assert.Equal(5, p.Total));
    }

    [Fact]
    public void Without_sources_only_diversity_and_word_length_are_measured()
    {
        var result = new QualityEvaluator().Evaluate(new[] { new ResponseToEvaluate("p", "a a a") });
        var r = Assert.Single(result);
        Assert.Equal(0.5, r.Diversity);
        Assert.Equal(3, r.Length);
        Assert.Null(r.GuidingReward);
        Assert.Null(r.HeldOutReward);
        Assert.Null(r.Coherence);
        Assert.Null(r.Fluency);
        Assert.Null(new QualityEvaluator(new QualityEvaluatorOptions { MeasureDiversity = false }).Evaluate(new[] { new ResponseToEvaluate("p", "a") })[0].Diversity);
    }

    [Fact]
    public void With_the_generator_fluency_and_length_are_in_its_tokens_and_rewards_get_its_ids()
    {
        using var temp = new TempFolder();
        var options = TestModels.Decoder(AttentionContribution.Silent);
        var tokenizer = new IdTokenizer(TestModels.Vocab, 0, 1);
        using var model = OnnxCausalLanguageModel.Load(TinyDecoderBuilder.WriteFolder(options, temp.Path), tokenizer);
        var queries = new List<RewardQuery>();
        var reward = DelegateRewardSource.PerQuery("recorder", q => { queries.Add(q); return 1f; });
        var rows = new[]
        {
            // Text only: the prompt is encoded with BOS (0), the response without special tokens.
            new ResponseToEvaluate("3 4", "5 6"),
            // Generated: the ids are used as given.
            new ResponseToEvaluate("7", "whatever the text") { PromptTokenIds = new[] { 0, 7 }, ResponseTokenIds = new[] { 9, 10, 11 }, FinishReason = FinishReason.Eos },
        };
        var evaluator = new QualityEvaluator(new QualityEvaluatorOptions { FluencyModel = model, GuidingReward = reward, HeldOutReward = reward });
        var result = evaluator.Evaluate(rows);

        var t = options.BigramLogits;
        double Nll(int previous, int next)
        {
            double norm = 0;
            for (int v = 0; v < TestModels.Vocab; v++) norm += Math.Exp(t[previous, v]);
            return Math.Log(norm) - t[previous, next];
        }
        Assert.Equal((Nll(4, 5) + Nll(5, 6)) / 2, result[0].Fluency!.Value, 4);
        Assert.Equal((Nll(7, 9) + Nll(9, 10) + Nll(10, 11)) / 3, result[1].Fluency!.Value, 4);
        Assert.Equal(new[] { 2, 3 }, result.Select(r => r.Length));
        Assert.Equal(FinishReason.Eos, result[1].FinishReason);
        // The same source as guide and judge is scored once per batch; only the generated row passes ids.
        Assert.Equal(2, queries.Count);
        Assert.Null(queries[0].ResponseTokenIds);
        Assert.Equal(new[] { 9, 10, 11 }, queries[1].ResponseTokenIds);
        Assert.Equal(new[] { 0, 7 }, queries[1].PromptTokenIds);
        Assert.Same(tokenizer, queries[1].TokenIdsTokenizer);
        Assert.All(result, r => Assert.Equal(r.GuidingReward, r.HeldOutReward));
    }

    [Fact]
    public void Bad_rows_and_options_are_argument_errors()
    {
        var evaluator = new QualityEvaluator();
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => evaluator.Evaluate(new ResponseToEvaluate[] { null! })).ParamName);
        Assert.Contains("Row 1", Assert.Throws<ArgumentException>(() => evaluator.Evaluate(new[] { new ResponseToEvaluate("p", "r"), new ResponseToEvaluate("p", null!) })).Message);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new QualityEvaluatorOptions { BatchSize = 0 }).ParamName);
        var bad = DelegateRewardSource.PerQuery("nan", _ => float.NaN);
        Assert.Throws<RewardSourceException>(() => new QualityEvaluator(new QualityEvaluatorOptions { GuidingReward = bad }).Evaluate(new[] { new ResponseToEvaluate("p", "r") }));
    }
}
