using AlignedGen.Data;
using Parquet;
using Parquet.Serialization;
using Xunit;

namespace AlignedGen.Tests.Data;

public class ParquetRecordTests
{
    [Fact]
    public void Round_trips_values_nulls_and_lists_with_one_row_group_per_batch()
    {
        using var dir = new TempFolder();
        var path = dir.File("kinds.parquet");
        var batches = new[]
        {
            new[]
            {
                new DataRow { ["id"] = "a", ["n"] = 1, ["x"] = 0.5, ["b"] = true, ["texts"] = new[] { "p", "q" }, ["scores"] = new[] { 1.5, 2.0 } },
                new DataRow { ["id"] = null, ["n"] = null, ["x"] = 2, ["b"] = null, ["texts"] = Array.Empty<string>(), ["scores"] = null },
            },
            new[] { new DataRow { ["id"] = "c", ["n"] = -7, ["x"] = -0.25, ["b"] = false, ["texts"] = null, ["scores"] = new[] { 3.0 } } },
            new[] { new DataRow { ["id"] = "", ["n"] = 0, ["x"] = 1e10, ["b"] = true, ["texts"] = new[] { "" }, ["scores"] = Array.Empty<double>() } },
        };
        using (var writer = RecordFiles.CreateWriter(path))
            foreach (var batch in batches) writer.Write(batch);

        using (var stream = File.OpenRead(path))
        {
            var independent = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            Assert.Equal(3, independent.RowGroupCount);
            independent.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var back = SampleRows.ReadAll(path);
        var expected = batches.SelectMany(b => b).ToArray();
        Assert.Equal(expected.Length, back.Count);
        Assert.Equal(4, RecordFiles.CountRecords(path));
        Assert.Equal(new[] { "id", "n", "x", "b", "texts", "scores" }, back[0].ColumnNames);
        // x mixes integers and numbers: inferred from the first batch as Number, so 2 comes back as 2.0.
        Assert.Equal(2.0, back[1]["x"]);
        expected[1] = expected[1].Clone();
        expected[1]["x"] = 2.0;
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].ToString(), back[i].ToString());
        Assert.Null(back[1]["id"]);
        Assert.Empty((string[])back[1]["texts"]!);
        Assert.Null(back[1]["scores"]);
        Assert.Null(back[2]["texts"]);
        Assert.Empty((double[])back[3]["scores"]!);
    }

    public sealed class Typed
    {
        public string? Name { get; set; }
        public int Count { get; set; }
        public double? Score { get; set; }
        public bool Flag { get; set; }
        public List<string>? Tags { get; set; }
        public float Weight { get; set; }
    }

    [Fact]
    public void Reads_a_file_written_by_parquet_nets_own_serializer()
    {
        using var dir = new TempFolder();
        var path = dir.File("typed.parquet");
        var data = new List<Typed>
        {
            new() { Name = "one", Count = 1, Score = 0.5, Flag = true, Tags = new() { "a", "b" }, Weight = 0.3f },
            new() { Name = null, Count = -2, Score = null, Flag = false, Tags = new(), Weight = 2f },
            new() { Name = "three", Count = 3, Score = 1e-3, Flag = true, Tags = null, Weight = -1.5f },
        };
        ParquetSerializer.SerializeAsync(data, path).GetAwaiter().GetResult();
        var rows = SampleRows.ReadAll(path);
        Assert.Equal(3, rows.Count);
        Assert.Equal(new[] { "Name", "Count", "Score", "Flag", "Tags", "Weight" }, rows[0].ColumnNames);
        Assert.Equal("one", rows[0]["Name"]);
        Assert.Equal(1L, rows[0]["Count"]);
        Assert.Equal(0.5, rows[0]["Score"]);
        Assert.Equal(true, rows[0]["Flag"]);
        Assert.Equal(new[] { "a", "b" }, rows[0]["Tags"]);
        Assert.Equal(0.3, rows[0]["Weight"]);
        Assert.Null(rows[1]["Name"]);
        Assert.Equal(-2L, rows[1]["Count"]);
        Assert.Null(rows[1]["Score"]);
        Assert.Empty((string[])rows[1]["Tags"]!);
        Assert.Null(rows[2]["Tags"]);
        Assert.Equal(-1.5, rows[2]["Weight"]);
        Assert.Equal(3, RecordFiles.CountRecords(path));
    }

    [Fact]
    public void Schema_inference_widens_integers_and_falls_back_to_text()
    {
        var schema = RecordSchema.Infer(new[]
        {
            new DataRow { ["i"] = 1, ["n"] = 1, ["t"] = 1, ["none"] = null, ["l"] = Array.Empty<string>(), ["nl"] = Array.Empty<string>() },
            new DataRow { ["i"] = 2, ["n"] = 2.5, ["t"] = "x", ["none"] = null, ["l"] = new[] { "a" }, ["nl"] = new[] { 1.0 }, ["late"] = true },
        });
        Assert.Equal("i: Integer, n: Number, t: Text, none: Text, l: TextList, nl: NumberList, late: Boolean", schema.ToString());
    }

    [Fact]
    public void A_value_that_does_not_fit_the_schema_names_the_row_and_column()
    {
        using var dir = new TempFolder();
        var schema = new RecordSchema(new[] { new RecordColumn("id", ColumnKind.Text), new RecordColumn("n", ColumnKind.Integer) });
        using var writer = RecordFiles.CreateWriter(dir.File("s.parquet"), options: new RecordWriterOptions { Schema = schema });
        writer.Write(new[] { new DataRow { ["id"] = "a", ["n"] = 1 } });
        var ex = Assert.Throws<DataFileException>(() => writer.Write(new[] { new DataRow { ["id"] = "b", ["n"] = 2 }, new DataRow { ["id"] = "c", ["n"] = "three" } }));
        Assert.Contains("row 3", ex.Problem);
        Assert.Contains("'n' holds text", ex.Problem);
    }

    [Fact]
    public void A_truncated_file_is_reported_as_not_readable()
    {
        using var dir = new TempFolder();
        var path = dir.File("t.parquet");
        SampleRows.Write(path, SampleRows.Make(10));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<DataFileException>(() => RecordFiles.OpenReader(path));
        Assert.Contains("not a readable Parquet file", ex.Problem);
    }

    [Fact]
    public void An_explicit_schema_and_no_rows_gives_a_valid_empty_file()
    {
        using var dir = new TempFolder();
        var path = dir.File("empty.parquet");
        var schema = new RecordSchema(new[] { new RecordColumn("id", ColumnKind.Text) });
        using (RecordFiles.CreateWriter(path, options: new RecordWriterOptions { Schema = schema })) { }
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal(new[] { "id" }, reader.DeclaredColumns);
        Assert.Null(reader.Read());
    }
}
