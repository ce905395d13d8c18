using AlignedGen.Data;
using Xunit;

namespace AlignedGen.Tests.Data;

public class CsvRecordTests
{
    [Fact]
    public void Reads_rfc4180_quoting_with_the_line_where_each_record_starts()
    {
        using var dir = new TempFolder();
        var path = dir.File("q.csv");
        File.WriteAllText(path, "id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n\r\n4,\n5,plain\"quote");
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal(new[] { "id", "text" }, reader.DeclaredColumns);
        var expected = new (string Id, string Text, long Line)[] { ("1", "a, b", 2), ("2", "say \"hi\"", 3), ("3", "two\r\nlines", 4), ("4", "", 7), ("5", "plain\"quote", 8) };
        foreach (var (id, text, line) in expected)
        {
            var row = reader.Read()!;
            Assert.Equal(id, row["id"]);
            Assert.Equal(text, row["text"]);
            Assert.Equal(line, reader.LineNumber);
        }
        Assert.Null(reader.Read());
    }

    [Fact]
    public void Writes_header_and_quotes_only_cells_that_need_it()
    {
        using var dir = new TempFolder();
        var path = dir.File("w.csv");
        SampleRows.Write(path, new[]
        {
            new DataRow { ["id"] = 1, ["text"] = "a, b", ["score"] = 0.5, ["ok"] = true },
            new DataRow { ["id"] = 2, ["text"] = "say \"hi\"\nthere", ["list"] = new[] { "x", "y" } },
        }, options: new RecordWriterOptions { Columns = new[] { "id", "text", "score", "ok", "list" } });
        Assert.Equal("id,text,score,ok,list\r\n1,\"a, b\",0.5,true,\r\n2,\"say \"\"hi\"\"\nthere\",,,\"[\"\"x\"\",\"\"y\"\"]\"\r\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("rows.csv")]
    [InlineData("rows.tsv")]
    public void Round_trips_awkward_text(string name)
    {
        using var dir = new TempFolder();
        var path = dir.File(name);
        var rows = SampleRows.Make(40);
        SampleRows.Write(path, rows);
        var back = SampleRows.ReadAll(path);
        Assert.Equal(rows.Count, back.Count);
        for (var i = 0; i < rows.Count; i++)
            foreach (var column in rows[i].ColumnNames)
                Assert.Equal(rows[i][column], back[i][column]);
        Assert.Equal(rows.Count, RecordFiles.CountRecords(path));
    }

    [Fact]
    public void A_custom_delimiter_and_json_list_columns_are_honoured()
    {
        using var dir = new TempFolder();
        var path = dir.File("semi.csv");
        var rows = new[] { new DataRow { ["id"] = "a;b", ["responses"] = new[] { "x;1", "y" }, ["scores"] = new[] { 1.0, 2.5 } } };
        SampleRows.Write(path, rows, options: new RecordWriterOptions { Delimiter = ';' });
        Assert.StartsWith("id;responses;scores\r\n\"a;b\";", File.ReadAllText(path));
        var back = Assert.Single(SampleRows.ReadAll(path, options: new RecordReaderOptions { Delimiter = ';', JsonListColumns = new[] { "responses", "scores" } }));
        Assert.Equal("a;b", back["id"]);
        Assert.Equal(new[] { "x;1", "y" }, back["responses"]);
        Assert.Equal(new[] { 1.0, 2.5 }, back["scores"]);
    }

    [Fact]
    public void Bad_records_report_their_line_and_reading_continues()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.csv");
        File.WriteAllText(path, "id,text\n1,ok\n2,too,many\n3,\"bad\"quote,x\n4,fine\n");
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal("1", reader.Read()!["id"]);
        var many = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(3, many.LineNumber);
        Assert.Contains("3 field(s) but the header has 2", many.Problem);
        var quote = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(4, quote.LineNumber);
        Assert.True(quote.CanContinue);
        Assert.Equal("4", reader.Read()!["id"]);
        Assert.Null(reader.Read());
    }

    [Fact]
    public void An_unclosed_quote_stops_reading_at_the_line_where_it_opened()
    {
        using var dir = new TempFolder();
        var path = dir.File("open.csv");
        File.WriteAllText(path, "id,text\n1,ok\n2,\"never closed\n3,x\n");
        using var reader = RecordFiles.OpenReader(path);
        reader.Read();
        var ex = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(3, ex.LineNumber);
        Assert.False(ex.CanContinue);
    }

    [Fact]
    public void A_header_with_a_repeated_name_is_rejected()
    {
        using var dir = new TempFolder();
        var path = dir.File("dup.csv");
        File.WriteAllText(path, "id,text,id\n1,2,3\n");
        var ex = Assert.Throws<DataFileException>(() => RecordFiles.OpenReader(path));
        Assert.Contains("'id' twice", ex.Message);
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void A_row_with_a_column_outside_the_header_is_an_error()
    {
        using var dir = new TempFolder();
        using var writer = RecordFiles.CreateWriter(dir.File("x.csv"));
        writer.Write(new[] { new DataRow { ["a"] = 1 } });
        var ex = Assert.Throws<DataFileException>(() => writer.Write(new[] { new DataRow { ["a"] = 2, ["b"] = 3 } }));
        Assert.Contains("'b'", ex.Problem);
        Assert.Contains("RecordWriterOptions.Columns", ex.Fix);
    }
}
