using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

public class RelabelErrorTests
{
    [Fact]
    public void Missing_columns_in_a_csv_header_list_found_and_expected_before_any_output()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("in.csv"), "id,question,answer\r\n1,q,a\r\n");
        var reward = new FakeRewardSource();
        var ex = Assert.Throws<MissingColumnsException>(() => new RelabelJob(RelabelTestKit.Options(dir.File("in.csv"), dir.File("out.jsonl"), reward)).Run());
        Assert.Equal(new[] { "prompt", "response" }, ex.Missing);
        Assert.Equal(new[] { "id", "prompt", "response" }, ex.Expected);
        Assert.Equal(new[] { "id", "question", "answer" }, ex.Found);
        Assert.Contains("found 'id', 'question', 'answer'", ex.Message);
        Assert.Contains("ColumnMap", ex.Fix);
        Assert.Empty(reward.CallSizes);
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Fact]
    public void A_jsonl_row_missing_a_column_names_its_line_and_keeps_earlier_batches()
    {
        using var dir = new TempFolder();
        var rows = SampleRows.Make(6);
        rows[4].Remove("response");
        SampleRows.Write(dir.File("in.jsonl"), rows);
        var ex = Assert.Throws<MissingColumnsException>(() => new RelabelJob(RelabelTestKit.Options(dir.File("in.jsonl"), dir.File("out.jsonl"), batchSize: 2)).Run());
        Assert.Equal(5, ex.LineNumber);
        Assert.Equal(new[] { "response" }, ex.Missing);
        Assert.Equal(new[] { "id", "prompt_id", "prompt" }, ex.Found);
        Assert.Equal(4, File.ReadAllLines(RelabelTestKit.Checkpoint(dir.File("out.jsonl"))).Length);
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Fact]
    public void A_corrupt_line_stops_the_job_with_file_and_line()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 10);
        var lines = File.ReadAllLines(input).ToList();
        lines[6] = lines[6][..20];
        File.WriteAllLines(input, lines);
        var ex = Assert.Throws<CorruptRecordException>(() => new RelabelJob(RelabelTestKit.Options(input, dir.File("out.jsonl"), batchSize: 3)).Run());
        Assert.Equal(input, ex.Path);
        Assert.Equal(7, ex.LineNumber);
        Assert.Contains("SkipBadRecords", ex.Fix);
        Assert.Equal(6, File.ReadAllLines(RelabelTestKit.Checkpoint(dir.File("out.jsonl"))).Length);
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Fact]
    public void Skip_mode_records_skipped_lines_in_the_summary_and_a_side_file()
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 12);
        var lines = File.ReadAllLines(input).ToList();
        lines[2] = "{not json";
        lines[9] = "[\"an\", \"array\"]";
        File.WriteAllLines(input, lines);
        var options = RelabelTestKit.Options(input, dir.File("out.jsonl"), batchSize: 4) with { SkipBadRecords = true };

        var summary = new RelabelJob(options).Run();
        Assert.Equal(2, summary.SkippedCount);
        Assert.Equal(new long[] { 3, 10 }, summary.SkippedRecords.Select(s => s.LineNumber));
        Assert.Contains("not valid JSON", summary.SkippedRecords[0].Problem);
        Assert.Equal(10, summary.RowsScored);
        Assert.Equal(12, summary.InputRecords);
        var expectedIds = rows.Where((_, i) => i != 2 && i != 9).Select(r => r["id"]);
        Assert.Equal(expectedIds, SampleRows.ReadAll(dir.File("out.jsonl")).Select(r => r["id"]));
        var side = SampleRows.ReadAll(summary.SkippedRecordsPath!);
        Assert.Equal(new object?[] { 3L, 10L }, side.Select(r => r["line"]));
        Assert.Equal("{not json", side[0]["text"]);

        var again = new RelabelJob(options).Run();
        Assert.Equal((10L, 0L, 2L), (again.RowsAlreadyDone, again.RowsScored, again.SkippedCount));
        Assert.Equal(2, File.ReadAllLines(summary.SkippedRecordsPath!).Length);
    }

    [Fact]
    public void An_unwritable_output_fails_before_any_scoring()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 5);
        File.WriteAllText(dir.File("plain.txt"), "x");
        var reward = new FakeRewardSource();
        var underFile = Path.Combine(dir.File("plain.txt"), "out.jsonl");
        var ex = Assert.Throws<DataFileException>(() => new RelabelJob(RelabelTestKit.Options(input, underFile, reward)).Run());
        Assert.Equal(underFile, ex.Path);
        Assert.Contains("cannot be written", ex.Problem);
        Directory.CreateDirectory(dir.File("folder.jsonl"));
        var folder = Assert.Throws<DataFileException>(() => new RelabelJob(RelabelTestKit.Options(input, dir.File("folder.jsonl"), reward)).Run());
        Assert.Contains("is a folder", folder.Problem);
        Assert.Empty(reward.CallSizes);
    }

    [Fact]
    public void A_second_job_on_the_same_output_is_refused_while_the_first_runs()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 20);
        var output = dir.File("out.jsonl");
        DataFileException? inner = null;
        var reward = new FakeRewardSource
        {
            BeforeCall = call =>
            {
                if (call == 0) inner = Assert.Throws<DataFileException>(() => new RelabelJob(RelabelTestKit.Options(input, output)).Run());
            },
        };
        new RelabelJob(RelabelTestKit.Options(input, output, reward, batchSize: 5)).Run();
        Assert.NotNull(inner);
        Assert.Contains("own output", inner!.Fix);
        Assert.Equal(20, File.ReadAllLines(output).Length);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_score_names_the_source_and_line_and_earlier_batches_stay_written_once(float bad)
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 50);
        var output = dir.File("out.jsonl");
        var options = RelabelTestKit.Options(input, output, batchSize: 16);
        var broken = false;
        var nan = new FakeRewardSource("flaky", q => broken && q.Response.StartsWith("Response 20 ", StringComparison.Ordinal) ? bad : q.Response.Length);
        options = options with { Rewards = RewardColumn.For(nan) };
        new RelabelJob(options with { OutputPath = dir.File("clean.jsonl") }).Run();
        var clean = File.ReadAllBytes(dir.File("clean.jsonl"));

        broken = true;
        var ex = Assert.Throws<RewardSourceException>(() => new RelabelJob(options).Run());
        Assert.Equal("flaky", ex.SourceName);
        Assert.Equal(21, ex.Row);
        Assert.Contains("input line 21 (id 'r00020')", ex.Message);
        Assert.Equal(16, File.ReadAllLines(RelabelTestKit.Checkpoint(output)).Length);

        broken = false;
        var summary = new RelabelJob(options).Run();
        Assert.Equal((16L, 34L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Fact]
    public void A_reward_source_exception_and_a_wrong_score_count_propagate()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 10);
        var own = new FakeRewardSource("strict-rm") { BeforeCall = _ => throw new RewardSourceException("strict-rm", 3, "score was NaN") };
        var ex = Assert.Throws<RewardSourceException>(() => new RelabelJob(RelabelTestKit.Options(input, dir.File("a.jsonl"), own)).Run());
        Assert.Equal("Reward source 'strict-rm', row 3: score was NaN", ex.Message);

        var wrong = new WrongCountSource();
        var count = Assert.Throws<RewardSourceException>(() => new RelabelJob(new RelabelOptions(input, dir.File("b.jsonl"), RewardColumn.For(wrong))).Run());
        Assert.Contains("returned 9 scores for 10 queries", count.Message);
        Assert.False(File.Exists(dir.File("b.jsonl")), "a failed run leaves no (empty) output");
    }

    private sealed class WrongCountSource : IRewardSource
    {
        public string Name => "short";

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default) => new float[queries.Count - 1];
    }

    [Fact]
    public void Strict_mode_rejects_non_text_values_and_lenient_mode_scores_their_text()
    {
        using var dir = new TempFolder();
        SampleRows.Write(dir.File("in.jsonl"), new[]
        {
            new DataRow { ["id"] = 1, ["prompt"] = 42, ["response"] = "r" },
            new DataRow { ["id"] = 2, ["prompt"] = "p", ["response"] = null },
        });
        var strict = Assert.Throws<DataFileException>(() => new RelabelJob(RelabelTestKit.Options(dir.File("in.jsonl"), dir.File("s.jsonl"))).Run());
        Assert.Equal(1, strict.LineNumber);
        Assert.Contains("column 'prompt' holds integer", strict.Problem);
        Assert.Contains("Strict = false", strict.Fix);

        var reward = new FakeRewardSource();
        new RelabelJob(RelabelTestKit.Options(dir.File("in.jsonl"), dir.File("l.jsonl"), reward) with { Strict = false }).Run();
        Assert.Equal(new[] { ("42", "r"), ("p", "") }, reward.Seen.Select(q => (q.Prompt, q.Response)));
    }

    [Fact]
    public void Options_are_checked_when_set_and_combinations_when_the_job_is_created()
    {
        var reward = RewardColumn.For(new FakeRewardSource());
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new RelabelOptions("a.jsonl", "b.jsonl", reward) { BatchSize = 0 }).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => new ShardSpec(3, 3)).ParamName);
        Assert.Equal("Prompt", Assert.Throws<ArgumentException>(() => new ColumnMap { Prompt = " " }).ParamName);
        Assert.Equal("Columns", Assert.Throws<ArgumentException>(() => new RelabelOptions("a.jsonl", "b.jsonl", reward) { Columns = new ColumnMap { Response = "prompt" } }).ParamName);
        Assert.Equal("Rewards", Assert.Throws<ArgumentException>(() => new RelabelOptions("a.jsonl", "b.jsonl", Array.Empty<RewardColumn>())).ParamName);
        var twice = new[] { new RewardColumn(new FakeRewardSource("a"), "r"), new RewardColumn(new FakeRewardSource("b"), "r") };
        Assert.Contains("write column 'r'", Assert.Throws<ArgumentException>(() => new RelabelOptions("a.jsonl", "b.jsonl", twice)).Message);

        Assert.Equal("InputFormat", Assert.Throws<ArgumentException>(() => new RelabelJob(new RelabelOptions("a.json", "b.jsonl", reward))).ParamName);
        new RelabelJob(new RelabelOptions("a.json", "b.jsonl", reward) { InputFormat = RecordFormat.Jsonl });
        Assert.Equal("OutputPath", Assert.Throws<ArgumentException>(() => new RelabelJob(new RelabelOptions("a.jsonl", "./a.jsonl", reward))).ParamName);
        var clash = new[] { new RewardColumn(new FakeRewardSource(), "response") };
        Assert.Equal("Rewards", Assert.Throws<ArgumentException>(() => new RelabelJob(new RelabelOptions("a.jsonl", "b.jsonl", clash))).ParamName);
    }
}
