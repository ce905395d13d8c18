using AlignedGen.Data;
using AlignedGen.Decoding;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>JSONL / CSV / Parquet prompt files into IDataViews and results back out.</summary>
public class RecordFileTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static string WriteJsonl(string folder)
    {
        var path = Path.Combine(folder, "prompts.jsonl");
        File.WriteAllLines(path, new[]
        {
            """{"id": 1, "prompt": "The ", "score": 0.5, "ok": true, "tags": ["a", "b"], "xs": [1, 2.5]}""",
            """{"id": 2, "prompt": "A cat ", "score": null, "ok": false, "tags": [], "xs": []}""",
            """{"id": 3, "prompt": "We ", "ok": true}""",
        });
        return path;
    }

    [Fact]
    public void JsonlLoadsWithInferredTypesAndNullDefaults()
    {
        var view = _ml.Data.LoadFromRecordFile(WriteJsonl(TestModels.NewFolder("files")));
        Assert.Equal(new[] { "id", "prompt", "score", "ok", "tags", "xs" }, view.Schema.Select(c => c.Name));
        Assert.Equal(NumberDataViewType.Int64, view.Schema["id"].Type);
        Assert.IsType<TextDataViewType>(view.Schema["prompt"].Type);
        Assert.Equal(NumberDataViewType.Double, view.Schema["score"].Type);
        Assert.Equal(BooleanDataViewType.Instance, view.Schema["ok"].Type);
        Assert.Equal(new long[] { 1, 2, 3 }, view.GetColumn<long>("id"));
        Assert.Equal(new[] { "The ", "A cat ", "We " }, Direct.Texts(view, "prompt"));
        var scores = view.GetColumn<double>("score").ToArray();
        Assert.Equal(0.5, scores[0]);
        Assert.True(double.IsNaN(scores[1]) && double.IsNaN(scores[2]));
        Assert.Equal(new[] { true, false, true }, view.GetColumn<bool>("ok"));
        Assert.Equal(new[] { "a|b", "", "" }, view.GetColumn<VBuffer<ReadOnlyMemory<char>>>("tags").Select(v => string.Join("|", v.DenseValues())));
        Assert.Equal(new[] { 1, 2.5 }, view.GetColumn<VBuffer<double>>("xs").First().DenseValues());
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void GeneratedResultsRoundTripThroughEveryFormat(string name)
    {
        var folder = TestModels.NewFolder("files");
        var input = _ml.Data.LoadFromRecordFile(WriteJsonl(folder));
        var generation = new GenerationOptions(maxNewTokens: 5);
        var results = _ml.Transforms.Text.GenerateText("response", "prompt", new GenerateTextOptions(TestModels.LanguageModel)
            { Generation = generation, TokenCountColumnName = "tokens", CostColumnName = "cost" }).Fit(input).Transform(input);
        var path = Path.Combine(folder, name);
        var written = _ml.Data.SaveAsRecordFile(results, path, new RecordFileSaveOptions { Columns = new[] { "id", "prompt", "response", "tokens", "score", "cost" } });
        Assert.Equal(3, written);

        var expected = Direct.Generate(new[] { "The ", "A cat ", "We " }.Select(p => new PromptRow { Prompt = p }), SamplingStrategy.Greedy, generation);
        using var reader = RecordFiles.OpenReader(path, options: new RecordReaderOptions { JsonListColumns = new[] { "cost" } });
        var rows = new List<DataRow>();
        while (reader.Read() is { } row) rows.Add(row);
        Assert.Equal(expected.Select(r => r.Text), rows.Select(r => r.GetText("response")));
        Assert.Equal(expected.Select(r => (double)r.TokenIds.Count), rows.Select(r => r.GetNumber("tokens")!.Value));
        Assert.Equal(new double?[] { 1, 2, 3 }, rows.Select(r => r.GetNumber("id")));
        Assert.Equal(0.5, rows[0].GetNumber("score"));
        Assert.Null(rows[1].GetNumber("score")); // NaN is written as null
        Assert.Equal(5, Assert.IsType<double[]>(rows[0]["cost"]).Length);

        // And it loads back as an IDataView with the same responses.
        var back = _ml.Data.LoadFromRecordFile(path, new RecordFileLoadOptions { ReaderOptions = new RecordReaderOptions { JsonListColumns = new[] { "cost" } } });
        Assert.Equal(expected.Select(r => r.Text), Direct.Texts(back, "response"));
    }

    [Fact]
    public void ExplicitSchemaAndTypeMismatchesFailNamingTheColumn()
    {
        var path = WriteJsonl(TestModels.NewFolder("files"));
        var schema = new RecordSchema(new[] { new RecordColumn("prompt", ColumnKind.Text), new RecordColumn("ok", ColumnKind.Integer) });
        var view = _ml.Data.LoadFromRecordFile(path, new RecordFileLoadOptions { Schema = schema });
        Assert.Equal(new[] { "prompt", "ok" }, view.Schema.Select(c => c.Name));
        var e = Assert.Throws<DataFileException>(() => view.GetColumn<long>("ok").ToArray());
        Assert.Contains("'ok'", e.Message);
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void UnwritableColumnTypesAreRefusedWithTheFix()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new { When = DateTime.UnixEpoch, Prompt = "x" } });
        var e = Assert.Throws<NotSupportedException>(() => _ml.Data.SaveAsRecordFile(data, Path.Combine(TestModels.NewFolder("files"), "x.jsonl")));
        Assert.Contains("'When'", e.Message);
        Assert.Contains("RecordFileSaveOptions.Columns", e.Message);
    }
}
