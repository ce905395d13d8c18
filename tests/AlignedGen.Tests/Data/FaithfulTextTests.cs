using System.Text;
using AlignedGen.Data;
using Xunit;

namespace AlignedGen.Tests.Data;

/// <summary>
/// Text read is the text in the file: invalid UTF-8 and undecodable escapes are record errors (with file, line and byte
/// offset), never silent replacements; duplicate keys are errors; JSON values pass through JSONL byte for byte.
/// </summary>
public class FaithfulTextTests
{
    private static readonly byte[] InvalidUtf8Line = Encoding.UTF8.GetBytes("{\"id\":\"b\",\"prompt\":\"ab").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();

    [Fact]
    public void Invalid_utf8_in_jsonl_is_a_record_error_naming_file_line_and_byte_offset()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.jsonl");
        var first = Encoding.UTF8.GetBytes("{\"id\":\"a\",\"prompt\":\"é\"}\n");
        File.WriteAllBytes(path, first.Concat(InvalidUtf8Line).Concat(Encoding.UTF8.GetBytes("{\"id\":\"c\"}\n")).ToArray());
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal("é", reader.Read()!["prompt"]);
        var error = Assert.Throws<CorruptRecordException>(() => reader.Read());
        var offset = first.Length + "{\"id\":\"b\",\"prompt\":\"ab".Length;
        Assert.Equal(2, error.LineNumber);
        Assert.True(error.CanContinue);
        Assert.Contains($"byte offset {offset}", error.Problem);
        Assert.Contains("invalid UTF-8", error.Problem);
        Assert.Contains(path, error.Message);
        Assert.Equal("c", reader.Read()!["id"]);
    }

    [Fact]
    public void Invalid_utf8_is_replaced_only_when_asked()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.jsonl");
        File.WriteAllBytes(path, InvalidUtf8Line);
        using var reader = RecordFiles.OpenReader(path, options: new RecordReaderOptions { ReplaceInvalidUtf8 = true });
        Assert.Equal("ab\uFFFD(", reader.Read()!["prompt"]);
    }

    [Fact]
    public void Invalid_utf8_in_csv_is_a_record_error_naming_file_line_and_byte_offset()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.csv");
        var head = Encoding.UTF8.GetBytes("id,prompt\r\na,\"x\r\ny\"\r\nb,ok");
        File.WriteAllBytes(path, head.Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\r\nc,fine\r\n")).ToArray());
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal("x\r\ny", reader.Read()!["prompt"]);
        var error = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(4, error.LineNumber);
        Assert.Contains($"byte offset {head.Length}", error.Problem);
        Assert.True(error.CanContinue);
        Assert.Equal("fine", reader.Read()!["prompt"]);
        using var replacing = RecordFiles.OpenReader(path, options: new RecordReaderOptions { ReplaceInvalidUtf8 = true });
        replacing.Read();
        Assert.Equal("ok\uFFFD", replacing.Read()!["prompt"]);
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"prompt\":\"\\ud800\"}", "surrogate")]
    [InlineData("{\"id\":\"x\",\"prompt\":\"a\\udc00b\"}", "surrogate")]
    [InlineData("{\"\\ud800\":1}", "surrogate")]
    [InlineData("{\"id\":\"x\",\"id\":\"y\"}", "twice")]
    [InlineData("{\"a\":1,\"\\u0061\":2}", "twice")]
    public void Undecodable_escapes_and_duplicate_keys_are_record_errors_reading_continues_after(string line, string problem)
    {
        using var dir = new TempFolder();
        var path = dir.File("esc.jsonl");
        File.WriteAllText(path, line + "\n{\"id\":\"next\"}\n");
        using var reader = RecordFiles.OpenReader(path);
        var error = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(1, error.LineNumber);
        Assert.True(error.CanContinue);
        Assert.Contains(problem, error.Problem);
        Assert.Equal("next", reader.Read()!["id"]);
    }

    [Fact]
    public void A_raw_carriage_return_between_json_tokens_is_read_and_crlf_lines_too()
    {
        using var dir = new TempFolder();
        var path = dir.File("cr.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\",\r\"prompt\":\"p\"}\n{\"id\":\"b\"}\r\n\r\n{\"id\":\"c\"}");
        var rows = SampleRows.ReadAll(path);
        Assert.Equal(new[] { "a", "b", "c" }, rows.Select(r => r.GetText("id")));
        Assert.Equal("p", rows[0]["prompt"]);
        Assert.Equal(3, RecordFiles.CountRecords(path));
    }

    [Fact]
    public void Jsonl_values_pass_through_byte_for_byte()
    {
        const string line = "{\"id\":\"a\",\"big\":12345678901234567890,\"x\":1.50,\"e\":1E2,\"s\":\"caf\\u00e9 \\/ 😀\",\"o\":{\"k\": [1, 2.0]},\"l\":[1.0, 2],\"t\":[\"\\u0041\"]}";
        using var dir = new TempFolder();
        var input = dir.File("in.jsonl");
        var output = dir.File("out.jsonl");
        File.WriteAllText(input, line + "\n");
        var rows = SampleRows.ReadAll(input);
        SampleRows.Write(output, rows);
        Assert.Equal(line + "\n", File.ReadAllText(output));

        // A value set in code is written canonically; the others keep their text.
        rows[0]["x"] = 2.5;
        SampleRows.Write(output, rows);
        Assert.Contains("\"x\":2.5,\"e\":1E2,", File.ReadAllText(output));
    }

    [Fact]
    public void An_integer_beyond_64_bits_keeps_its_digits_in_csv_and_parquet()
    {
        using var dir = new TempFolder();
        var input = dir.File("in.jsonl");
        File.WriteAllText(input, "{\"id\":\"a\",\"big\":12345678901234567890,\"neg\":-98765432109876543210}\n");
        var rows = SampleRows.ReadAll(input);
        Assert.Equal("12345678901234567890", rows[0].GetText("big"));
        SampleRows.Write(dir.File("out.csv"), rows);
        Assert.Equal("id,big,neg\r\na,12345678901234567890,-98765432109876543210\r\n", File.ReadAllText(dir.File("out.csv")));
        SampleRows.Write(dir.File("out.parquet"), rows);
        var back = Assert.Single(SampleRows.ReadAll(dir.File("out.parquet")));
        Assert.Equal("12345678901234567890", back.GetText("big"));
    }
}
