using AlignedGen.Decoding;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>ML.NET's estimator contract: predicted schema = produced schema; invalid input throws naming the column and type.</summary>
public class SchemaTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static GenerateTextOptions AllColumns() => new(TestModels.LanguageModel)
    {
        Generation = new GenerationOptions(maxNewTokens: 2),
        Reward = RewardReference.FromFolder(TestModels.RewardModel),
        TokenCountColumnName = "Tokens", FinishReasonColumnName = "Finish", CostColumnName = "Cost",
    };

    public static TheoryData<string> Transforms => new() { "GenerateText", "ApplyRewardGuidedDecoding", "ApplyDarwinDecoding", "ScoreReward", "MeasureAlignmentQuality" };

    private IEstimator<ITransformer> Estimator(string transform) => transform switch
    {
        "GenerateText" => _ml.Transforms.Text.GenerateText("Response", "Prompt", AllColumns()),
        "ApplyRewardGuidedDecoding" => _ml.Transforms.Text.ApplyRewardGuidedDecoding("Response", "Prompt",
            new RewardGuidedDecodingOptions(TestModels.LanguageModel, RewardReference.FromFolder(TestModels.RewardModel), new ArgsOptions(topK: 2)) { Generation = new(maxNewTokens: 2), CostColumnName = "Cost" }),
        "ApplyDarwinDecoding" => _ml.Transforms.Text.ApplyDarwinDecoding("Response", "Prompt", new DarwinDecodingOptions(TestModels.LanguageModel,
            RewardReference.FromFolder(TestModels.RewardModel), new DarwinOptions(mutations: 2, keep: 1, iterations: 1, replacementPeriod: 2, mutationMaxNewTokens: 4))
            { Generation = new(maxNewTokens: 2, seed: 1), FinishReasonColumnName = "Finish" }),
        "MeasureAlignmentQuality" => _ml.Transforms.Text.MeasureAlignmentQuality("Prompt", "Id", new MeasureQualityOptions
            { HeldOutReward = RewardReference.FromFolder(TestModels.RewardModel), FluencyModelFolder = TestModels.LanguageModel, ReferenceColumnName = "Reference" }),
        _ => _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Id", new ScoreRewardOptions(RewardReference.FromFolder(TestModels.RewardModel))),
    };

    [Theory]
    [MemberData(nameof(Transforms))]
    public void PredictedSchemaEqualsProducedSchema(string transform)
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(2));
        var estimator = Estimator(transform);
        var predicted = estimator.GetOutputSchema(Shape(data.Schema));
        var transformer = estimator.Fit(data);
        var fromTransformer = transformer.GetOutputSchema(data.Schema);
        var produced = transformer.Transform(data).Schema;

        Assert.Equal(fromTransformer.Select(c => (c.Name, c.Type.ToString())), produced.Select(c => (c.Name, c.Type.ToString())));
        var visible = produced.Where(c => !c.IsHidden).ToArray();
        Assert.Equal(visible.Length, predicted.Count);
        foreach (var column in visible)
        {
            Assert.True(predicted.Any(p => p.Name == column.Name), $"predicted schema lacks {column.Name}");
            var p = predicted.Single(s => s.Name == column.Name);
            Assert.Equal(column.Type is VectorDataViewType v ? v.ItemType : column.Type, p.ItemType);
            Assert.Equal(column.Type is VectorDataViewType ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar, p.Kind);
        }
        var values = transformer.Transform(data).Preview();
        Assert.Equal(2, values.RowView.Length);
    }

    [Fact]
    public void OutputColumnTypesAreTheDocumentedOnes()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var schema = _ml.Transforms.Text.GenerateText("Response", "Prompt", AllColumns()).Fit(data).GetOutputSchema(data.Schema);
        Assert.IsType<TextDataViewType>(schema["Response"].Type);
        Assert.Equal(NumberDataViewType.Single, schema["Reward"].Type);
        Assert.Equal(NumberDataViewType.Int32, schema["Tokens"].Type);
        Assert.IsType<TextDataViewType>(schema["Finish"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 5), schema["Cost"].Type);
    }

    [Theory]
    [MemberData(nameof(Transforms))]
    public void MissingInputColumnThrowsNamingIt(string transform)
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new { Text = "x" } });
        var estimator = Estimator(transform);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shape(data.Schema)));
        Assert.Contains("'Prompt'", e.Message);
        Assert.Contains("text (String)", e.Message);
        Assert.Equal("inputSchema", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
    }

    [Theory]
    [MemberData(nameof(Transforms))]
    public void NonTextInputColumnThrowsNamingTheType(string transform)
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new NumericRow { Prompt = 1f, Id = "a" } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Estimator(transform).GetOutputSchema(Shape(data.Schema)));
        Assert.Contains("'Prompt'", e.Message);
        Assert.Contains("Single", e.Message);
        Assert.Contains("expected text", e.Message);

        // The fitted transformer checks too, on Transform and GetOutputSchema.
        var good = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var transformer = Estimator(transform).Fit(good);
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetOutputSchema(data.Schema));
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(data));
    }

    [Fact]
    public void InvalidOptionsThrowNamingTheParameter()
    {
        Assert.Equal("RewardColumnName", Assert.Throws<ArgumentException>(() => new GenerateTextOptions(TestModels.LanguageModel) { RewardColumnName = " " }).ParamName);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreRewardOptions(RewardReference.Proxy()) { BatchSize = 0 }).ParamName);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<AlignedGen.ModelFolderException>(() => new GenerateTextOptions(missing));
        Assert.Equal(missing, e.Path);
        var duplicate = Assert.Throws<ArgumentException>(() => _ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel) { TokenCountColumnName = "Response" }));
        Assert.Contains("'Response'", duplicate.Message);
    }

    [Fact]
    public void RowToRowMapperIsNotOffered()
    {
        var data = _ml.Data.LoadFromEnumerable(PromptRow.Make(1));
        var transformer = _ml.Transforms.Text.GenerateText("Response", "Prompt", new GenerateTextOptions(TestModels.LanguageModel)).Fit(data);
        Assert.False(transformer.IsRowToRowMapper);
        Assert.Throws<NotSupportedException>(() => transformer.GetRowToRowMapper(data.Schema));
    }

    /// <summary>The estimator-side shape of a schema (ML.NET makes it internally; AlignedGen.ML's helper does the same).</summary>
    private static SchemaShape Shape(DataViewSchema schema) => AlignedGen.ML.DataViews.OutputColumn.ShapeOf(schema);

    /// <summary>A row whose Prompt column is a number.</summary>
    public sealed class NumericRow
    {
        public float Prompt { get; set; }
        public string Id { get; set; } = "";
    }
}
