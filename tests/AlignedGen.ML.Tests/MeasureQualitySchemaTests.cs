using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>MeasureAlignmentQuality's schema: column types and names, input checks and option validation.</summary>
public class MeasureQualitySchemaTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void MetricColumnsAreDoublesAndLengthIsInt32()
    {
        var data = _ml.Data.LoadFromEnumerable(QualityOracle.Rows(1));
        var options = new MeasureQualityOptions
        {
            HeldOutReward = RewardReference.FromFolder(TestModels.RewardModel), GuidingReward = RewardReference.Proxy(new() { UseRelevance = false }),
            FluencyModelFolder = TestModels.LanguageModel, DiversityColumnName = "Div",
        };
        var schema = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", options).Fit(data).GetOutputSchema(data.Schema);
        foreach (var name in new[] { "HeldOutReward", "GuidingReward", "Div", "Fluency" }) Assert.Equal(NumberDataViewType.Double, schema[name].Type);
        Assert.Equal(NumberDataViewType.Int32, schema["Length"].Type);
        Assert.Null(schema.GetColumnOrNull("Coherence")); // no embedder, no column
        Assert.Null(schema.GetColumnOrNull("Diversity"));
    }

    [Fact]
    public void MissingColumnErrorListsTheColumnsFound()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new { Question = "q", Answer = "a" } });
        var estimator = _ml.Transforms.Text.MeasureAlignmentQuality("Question", "Response", new MeasureQualityOptions());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Equal("inputSchema", e.ParamName);
        Assert.Contains("MeasureAlignmentQuality", e.Message);
        Assert.Contains("'Response'", e.Message);
        Assert.Contains("Columns present: Question, Answer", e.Message);

        var reference = _ml.Transforms.Text.MeasureAlignmentQuality("Question", "Answer", new MeasureQualityOptions { ReferenceColumnName = "Gold" });
        Assert.Contains("'Gold'", Assert.Throws<ArgumentOutOfRangeException>(() => reference.Fit(data)).Message);
    }

    [Fact]
    public void NonTextResponseColumnIsRefused()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new NumericResponse { Prompt = "p", Response = 2 } });
        var estimator = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("'Response' has type Int32", e.Message);
        Assert.Contains("expected text (String)", e.Message);
    }

    [Fact]
    public void InvalidOptionsThrowNamingTheParameterValueAndFix()
    {
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => new MeasureQualityOptions { BatchSize = 0 });
        Assert.Equal(("BatchSize", (object?)0), (batch.ParamName, batch.ActualValue));
        Assert.Contains("Fix", batch.Message);
        Assert.Equal("FluencyColumnName", Assert.Throws<ArgumentException>(() => new MeasureQualityOptions { FluencyColumnName = " " }).ParamName);
        Assert.Equal("ColumnPrefix", Assert.Throws<ArgumentNullException>(() => new MeasureQualityOptions { ColumnPrefix = null! }).ParamName);
        Assert.Equal("PromptEncoding", Assert.Throws<ArgumentNullException>(() => new MeasureQualityOptions { PromptEncoding = null! }).ParamName);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-lm-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(missing, Assert.Throws<ModelFolderException>(() => new MeasureQualityOptions { FluencyModelFolder = missing }).Path);
        Assert.Equal(missing, Assert.Throws<ModelFolderException>(() => EmbedderReference.FromFolder(missing)).Path);

        var duplicate = Assert.Throws<ArgumentException>(() => _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions { LengthColumnName = "Diversity" }));
        Assert.Equal("options", duplicate.ParamName);
        Assert.Contains("'Diversity'", duplicate.Message);
    }

    [Fact]
    public void PrefixAppliesToDefaultNamesOnly()
    {
        var o = new MeasureQualityOptions { ColumnPrefix = "m_", CoherenceColumnName = "cos" };
        Assert.Equal(("m_HeldOutReward", "m_GuidingReward", "m_Diversity", "cos", "m_Fluency", "m_Length"),
            (o.HeldOutRewardColumnName, o.GuidingRewardColumnName, o.DiversityColumnName, o.CoherenceColumnName, o.FluencyColumnName, o.LengthColumnName));
    }

    [Fact]
    public void RowToRowMapperIsNotOffered()
    {
        var data = _ml.Data.LoadFromEnumerable(QualityOracle.Rows(1));
        var transformer = _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Response", new MeasureQualityOptions()).Fit(data);
        Assert.False(transformer.IsRowToRowMapper);
        Assert.Throws<NotSupportedException>(() => transformer.GetRowToRowMapper(data.Schema));
    }

    /// <summary>A row whose Response column is a number.</summary>
    public sealed class NumericResponse
    {
        public string Prompt { get; set; } = "";
        public int Response { get; set; }
    }
}
