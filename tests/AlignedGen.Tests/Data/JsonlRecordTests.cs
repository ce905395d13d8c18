using System.Text;
using System.Text.Json;
using AlignedGen.Data;
using Xunit;

namespace AlignedGen.Tests.Data;

[Collection(nameof(RunsAlone))] // Reading_streams_in_constant_memory measures process-wide live memory
public class JsonlRecordTests
{
    [Fact]
    public void Writes_one_compact_object_per_line_in_column_order()
    {
        using var dir = new TempFolder();
        var path = dir.File("a.jsonl");
        SampleRows.Write(path, new[]
        {
            new DataRow { ["id"] = "a", ["n"] = 1, ["x"] = 0.5, ["b"] = true, ["z"] = null, ["l"] = new[] { "p", "q" }, ["s"] = new[] { 0.25f, 2f } },
            new DataRow { ["id"] = "é\"\n", ["f"] = 0.3f },
        });
        // Expected text written by hand: floats keep their short decimal form (0.3f -> 0.3), integral floats a ".0",
        // non-ASCII stays readable.
        Assert.Equal(
            "{\"id\":\"a\",\"n\":1,\"x\":0.5,\"b\":true,\"z\":null,\"l\":[\"p\",\"q\"],\"s\":[0.25,2.0]}\n{\"id\":\"é\\\"\\n\",\"f\":0.3}\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Round_trips_every_value_kind()
    {
        using var dir = new TempFolder();
        var path = dir.File("kinds.jsonl");
        var row = new DataRow
        {
            ["text"] = "hello", ["empty"] = "", ["int"] = long.MaxValue, ["neg"] = -3, ["double"] = 1e-300, ["tenth"] = 0.1,
            ["yes"] = true, ["no"] = false, ["nothing"] = null, ["texts"] = new[] { "a", "" }, ["numbers"] = new[] { 1.5, -2.0 },
            ["emptyList"] = Array.Empty<string>(), ["object"] = new JsonFragment("{\"k\":[1,{\"j\":null}]}"),
        };
        SampleRows.Write(path, new[] { row });
        var back = Assert.Single(SampleRows.ReadAll(path));
        Assert.Equal(row.ColumnNames, back.ColumnNames);
        Assert.Equal("hello", back["text"]);
        Assert.Equal(long.MaxValue, back["int"]);
        Assert.Equal(-3L, back["neg"]);
        Assert.Equal(1e-300, back["double"]);
        Assert.Equal(0.1, back["tenth"]);
        Assert.Equal(true, back["yes"]);
        Assert.Null(back["nothing"]);
        Assert.Equal(new[] { "a", "" }, (string[])back["texts"]!);
        Assert.Equal(new[] { 1.5, -2.0 }, (double[])back["numbers"]!);
        Assert.Empty((string[])back["emptyList"]!);
        Assert.Equal(new JsonFragment("{\"k\":[1,{\"j\":null}]}"), back["object"]);
        Assert.Equal(row.ToString(), back.ToString());
    }

    [Fact]
    public void Corrupt_lines_report_file_and_line_and_reading_continues_after_them()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.jsonl");
        File.WriteAllText(path, "{\"id\":1}\n\n{\"id\":2, \"prompt\": \"x\"\n{\"id\":3}\n[1,2]\n{\"id\":4}");
        using var reader = RecordFiles.OpenReader(path);
        Assert.Equal(1L, reader.Read()!["id"]);
        var bad = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(3, bad.LineNumber);
        Assert.Equal(path, bad.Path);
        Assert.True(bad.CanContinue);
        Assert.Contains("line 3", bad.Message);
        Assert.Equal("{\"id\":2, \"prompt\": \"x\"", bad.RecordText);
        Assert.Equal(3L, reader.Read()!["id"]);
        Assert.Equal(4, reader.LineNumber);
        var notObject = Assert.Throws<CorruptRecordException>(() => reader.Read());
        Assert.Equal(5, notObject.LineNumber);
        Assert.Contains("array", notObject.Problem);
        Assert.Equal(4L, reader.Read()!["id"]);
        Assert.Null(reader.Read());
    }

    [SkippableFact]
    public void Reads_the_shared_story_samples_and_counts_them_like_a_line_count()
    {
        var path = SharedFolder.Require("data", "story-samples.jsonl");
        var rows = SampleRows.ReadAll(path);
        var lines = File.ReadLines(path).Count(l => l.Trim().Length > 0);
        Assert.Equal(lines, rows.Count);
        Assert.Equal(4000, rows.Count);
        Assert.Equal(lines, RecordFiles.CountRecords(path));
        Assert.All(rows, r => Assert.Equal(new[] { "id", "prompt_id", "prompt", "response" }, r.ColumnNames));
        Assert.Equal("p0000-0", rows[0]["id"]);
        Assert.Equal(1000, rows.Select(r => r["prompt_id"]).Distinct().Count());
        Assert.Equal(1000, SampleRows.ReadAll(SharedFolder.Require("data", "story-prompts.jsonl")).Count);
    }

    [SkippableFact]
    public void Reads_mt_bench_turns_as_a_list_of_text()
    {
        var rows = SampleRows.ReadAll(SharedFolder.Require("data", "mt_bench_question.jsonl"));
        Assert.Equal(80, rows.Count);
        Assert.All(rows, r => Assert.Equal(2, Assert.IsType<string[]>(r["turns"]).Length));
        Assert.Equal(81L, rows[0]["question_id"]);
        Assert.StartsWith("Compose an engaging travel blog post", ((string[])rows[0]["turns"]!)[0]);
    }

    [SkippableTheory]
    [InlineData("story-samples.jsonl")]
    [InlineData("mt_bench_question.jsonl")]
    [InlineData("mt_bench_reference_answer_gpt-4.jsonl")]
    [InlineData("story-pairs.jsonl")]
    [InlineData("hh-rlhf-harmless-base-test.prompts.jsonl")]
    public void Rewriting_a_shared_file_keeps_every_line_equal_as_json(string name)
    {
        var source = SharedFolder.Require("data", name);
        using var dir = new TempFolder();
        var copy = dir.File(name);
        SampleRows.Write(copy, SampleRows.ReadAll(source));
        var original = File.ReadLines(source).Where(l => l.Trim().Length > 0).ToArray();
        var written = File.ReadAllLines(copy);
        Assert.Equal(original.Length, written.Length);
        for (var i = 0; i < original.Length; i++)
        {
            using var a = JsonDocument.Parse(original[i]);
            using var b = JsonDocument.Parse(written[i]);
            Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement), $"line {i + 1} differs:\n{original[i]}\n{written[i]}");
        }
    }

    [Fact]
    public void Reading_streams_in_constant_memory()
    {
        using var dir = new TempFolder();
        var path = dir.File("big.jsonl");
        const int rows = 60_000;
        using (var writer = RecordFiles.CreateWriter(path))
            for (var b = 0; b < rows / 1000; b++)
                writer.Write(Enumerable.Range(b * 1000, 1000).Select(i => new DataRow { ["id"] = i, ["text"] = new string('x', 200) + i }).ToArray());
        Assert.True(new FileInfo(path).Length > 12_000_000);

        long baseline = 0, peak = 0, count = 0;
        using (var reader = RecordFiles.OpenReader(path))
        {
            for (var row = reader.Read(); row is not null; row = reader.Read())
            {
                count++;
                if (count == 1000) baseline = GC.GetTotalMemory(forceFullCollection: true);
                if (count % 20_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        }
        Assert.Equal(rows, count);
        // Holding the rows would take well over 12 MB (the file's size in UTF-16 is twice that); streaming keeps a buffer.
        Assert.True(peak - baseline < 4_000_000, $"live memory grew by {peak - baseline} bytes while reading");
    }
}
