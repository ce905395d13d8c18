using System.Text.Json;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>MeasureAlignmentQuality on real shared models and data equals the core evaluator.</summary>
public class MeasureQualitySharedModelTests
{
    [SkippableFact]
    public void WordPieceJudgeAndStoriesFluencyOnStorySamplesMatchTheCoreEvaluator()
    {
        var lmFolder = SharedFolder.Require("models", "stories260K");
        var rmFolder = SharedFolder.Require("models", "rm-wordpiece");
        var samples = SharedFolder.Require("data", "story-samples.jsonl");
        const int count = 20;
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFromRecordFile(samples), count);
        var options = new MeasureQualityOptions { HeldOutReward = RewardReference.FromFolder(rmFolder), FluencyModelFolder = lmFolder, BatchSize = 8 };
        using var transformer = ml.Transforms.Text.MeasureAlignmentQuality("prompt", "response", options).Fit(data);
        var output = ml.Data.Cache(transformer.Transform(data));

        var rows = File.ReadLines(samples).Take(count).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return new ResponseToEvaluate(json.RootElement.GetProperty("prompt").GetString()!, json.RootElement.GetProperty("response").GetString()!);
        }).ToList();
        using var lm = OnnxCausalLanguageModel.Load(lmFolder);
        using var rm = RewardModelLoader.FromFolder(rmFolder);
        var expected = new QualityEvaluator(new QualityEvaluatorOptions { HeldOutReward = rm, FluencyModel = lm, BatchSize = 8 }).Evaluate(rows);

        Assert.Equal(rows.Select(r => r.Response), Direct.Texts(output, "response"));
        Assert.Equal(QualityOracle.Expected(expected, r => r.HeldOutReward), QualityOracle.Doubles(output, "HeldOutReward"));
        Assert.Equal(QualityOracle.Expected(expected, r => r.Fluency), QualityOracle.Doubles(output, "Fluency"));
        Assert.Equal(QualityOracle.Expected(expected, r => r.Diversity), QualityOracle.Doubles(output, "Diversity"));
        Assert.Equal(expected.Select(r => r.Length), output.GetColumn<int>("Length"));
        // Sanity of the oracle itself: stories260K finds its own domain's text fluent (a few nats per token), every row measured.
        Assert.All(expected, r => Assert.InRange(r.Fluency!.Value, 0.1, 8));
    }
}
