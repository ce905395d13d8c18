using AlignedGen.Data;
using Xunit;

namespace AlignedGen.Tests.Data;

public class RecordFilesTests
{
    [Theory]
    [InlineData("a.jsonl", RecordFormat.Jsonl)]
    [InlineData("a.NDJSON", RecordFormat.Jsonl)]
    [InlineData("dir/a.csv", RecordFormat.Csv)]
    [InlineData("a.tsv", RecordFormat.Tsv)]
    [InlineData("a.tab", RecordFormat.Tsv)]
    [InlineData("a.Parquet", RecordFormat.Parquet)]
    public void Format_follows_the_extension(string path, RecordFormat format) => Assert.Equal(format, RecordFiles.FormatFromPath(path));

    [Fact]
    public void An_unknown_extension_names_the_path_and_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => RecordFiles.FormatFromPath("data.json"));
        Assert.Equal("path", ex.ParamName);
        Assert.Contains("'.json'", ex.Message);
        Assert.Contains("pass the format explicitly", ex.Message);
    }

    [Fact]
    public void A_missing_input_file_is_a_data_file_error()
    {
        var ex = Assert.Throws<DataFileException>(() => RecordFiles.OpenReader("/nonexistent/in.jsonl"));
        Assert.Equal("/nonexistent/in.jsonl", ex.Path);
        Assert.Contains("does not exist", ex.Problem);
    }

    [Fact]
    public void A_writer_under_a_regular_file_fails_with_the_path()
    {
        using var dir = new TempFolder();
        var file = dir.File("plain.txt");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<DataFileException>(() => RecordFiles.CreateWriter(Path.Combine(file, "out.jsonl")));
        Assert.Contains("cannot be written", ex.Problem);
    }

    [Fact]
    public void Explicit_format_overrides_the_extension()
    {
        using var dir = new TempFolder();
        var path = dir.File("rows.txt");
        SampleRows.Write(path, SampleRows.Make(5), RecordFormat.Tsv);
        Assert.Contains("\t", File.ReadAllLines(path)[0]);
        Assert.Equal(5, SampleRows.ReadAll(path, RecordFormat.Tsv).Count);
        Assert.Equal(5, RecordFiles.CountRecords(path, RecordFormat.Tsv));
    }
}
