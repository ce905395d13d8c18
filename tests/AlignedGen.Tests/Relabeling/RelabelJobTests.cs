using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

public class RelabelJobTests
{
    [Fact]
    public void Scores_every_row_in_batches_and_appends_the_reward_column()
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 100);
        var reward = new FakeRewardSource();
        var progress = new RecordingProgress();
        var summary = new RelabelJob(RelabelTestKit.Options(input, dir.File("out.jsonl"), reward)).Run(progress);

        var output = SampleRows.ReadAll(dir.File("out.jsonl"));
        Assert.Equal(100, output.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(new[] { "id", "prompt_id", "prompt", "response", "reward" }, output[i].ColumnNames);
            Assert.Equal(rows[i]["id"], output[i]["id"]);
            Assert.Equal(rows[i]["response"], output[i]["response"]);
            Assert.Equal((double)((string)rows[i]["response"]!).Length, output[i]["reward"]);
        }
        Assert.Equal(new[] { 32, 32, 32, 4 }, reward.CallSizes);
        Assert.Equal((100L, 0L, 100L, 100L), (summary.RowsScored, summary.RowsAlreadyDone, summary.QueriesScored, summary.InputRecords));
        Assert.All(progress.Reports, p => Assert.Equal(100, p.TotalRows));
        Assert.Equal(new long[] { 32, 64, 96, 100, 100 }, progress.Reports.Select(p => p.RowsDone));
    }

    [Theory]
    [InlineData("in.jsonl", "out.csv")]
    [InlineData("in.csv", "out.parquet")]
    [InlineData("in.parquet", "out.jsonl")]
    [InlineData("in.tsv", "out.tsv")]
    [InlineData("in.jsonl", "out.parquet")]
    public void Converts_between_formats(string inputName, string outputName)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 45, inputName);
        var summary = new RelabelJob(RelabelTestKit.Options(input, dir.File(outputName), batchSize: 8)).Run();
        var output = SampleRows.ReadAll(dir.File(outputName));
        Assert.Equal(45, summary.RowsScored);
        Assert.Equal(rows.Select(r => r["id"]), output.Select(r => r["id"]));
        Assert.Equal(rows.Select(r => r["response"]), output.Select(r => r["response"]));
        Assert.Equal(rows.Select(r => (double?)((string)r["response"]!).Length), output.Select(r => r.GetNumber("reward")));
        Assert.False(File.Exists(dir.File(outputName) + ".checkpoint.jsonl"));
    }

    [Fact]
    public void A_list_of_responses_gets_a_list_of_rewards_and_an_empty_response_is_scored()
    {
        using var dir = new TempFolder();
        var input = dir.File("lists.jsonl");
        SampleRows.Write(input, new[]
        {
            new DataRow { ["id"] = "a", ["prompt"] = "P1", ["responses"] = new[] { "x", "yyy", "", "zz" } },
            new DataRow { ["id"] = "b", ["prompt"] = "P2", ["responses"] = Array.Empty<string>() },
            new DataRow { ["id"] = "c", ["prompt"] = "P3", ["responses"] = new[] { "four" } },
            new DataRow { ["id"] = "d", ["prompt"] = "P4", ["responses"] = "" },
        });
        var reward = new FakeRewardSource();
        var options = RelabelTestKit.Options(input, dir.File("out.jsonl"), reward, batchSize: 3) with { Columns = ColumnMap.Default with { Response = "responses" } };
        var summary = new RelabelJob(options).Run();
        var output = SampleRows.ReadAll(dir.File("out.jsonl"));
        Assert.Equal(new[] { 1.0, 3, 0, 2 }, output[0]["reward"]);
        Assert.Empty((System.Collections.IEnumerable)output[1]["reward"]!); // "[]" reads back as an empty list
        Assert.Equal(new[] { 4.0 }, output[2]["reward"]);
        Assert.Equal(0.0, output[3]["reward"]);
        Assert.Equal(new[] { "x", "yyy", "", "zz", "four", "" }, reward.Seen.Select(q => q.Response));
        Assert.Equal(new[] { "P1", "P1", "P1", "P1", "P3", "P4" }, reward.Seen.Select(q => q.Prompt));
        Assert.All(reward.CallSizes, n => Assert.True(n <= 3));
        Assert.Equal(6, summary.QueriesScored);
    }

    [Fact]
    public void Several_reward_sources_write_their_own_columns_and_see_the_reference()
    {
        using var dir = new TempFolder();
        var input = dir.File("ref.jsonl");
        SampleRows.Write(input, new[] { new DataRow { ["id"] = 1, ["q"] = "Q", ["a"] = "answer", ["gold"] = "answer" }, new DataRow { ["id"] = 2, ["q"] = "Q", ["a"] = "nope", ["gold"] = "answer" } });
        var exact = new FakeRewardSource("exact", q => q.Response == q.Reference ? 1 : 0);
        var length = new FakeRewardSource("len", q => q.Response.Length);
        var options = new RelabelOptions(input, dir.File("out.jsonl"), RewardColumn.For(exact, length))
        {
            Columns = new ColumnMap { Prompt = "q", Response = "a", Reference = "gold" },
        };
        new RelabelJob(options).Run();
        var output = SampleRows.ReadAll(dir.File("out.jsonl"));
        Assert.Equal(new[] { "id", "q", "a", "gold", "reward_exact", "reward_len" }, output[0].ColumnNames);
        Assert.Equal(new object?[] { 1.0, 6.0 }, new[] { output[0]["reward_exact"], output[0]["reward_len"] });
        Assert.Equal(new object?[] { 0.0, 4.0 }, new[] { output[1]["reward_exact"], output[1]["reward_len"] });
    }

    [Fact]
    public void Cancellation_stops_after_the_batch_in_flight_is_written_and_a_rerun_completes_it()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 100);
        var output = dir.File("out.jsonl");
        var options = RelabelTestKit.Options(input, output, batchSize: 10);
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean.jsonl"));

        using var cts = new CancellationTokenSource();
        var reward = new FakeRewardSource { BeforeCall = call => { if (call == 2) cts.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(reward) }).Run(cancellationToken: cts.Token));
        Assert.Equal(3, reward.CallSizes.Count);
        Assert.Equal(30, File.ReadAllLines(RelabelTestKit.Checkpoint(output)).Length);
        Assert.False(File.Exists(output));

        var summary = new RelabelJob(options).Run();
        Assert.Equal((30L, 70L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void A_failed_run_resumes_where_it_stopped_and_every_row_appears_once(string outputName)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 100);
        var output = dir.File(outputName);
        var options = RelabelTestKit.Options(input, output, batchSize: 16);
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean-" + outputName));

        var failing = new FakeRewardSource { BeforeCall = call => { if (call == 3) throw new InvalidOperationException("model crashed"); } };
        Assert.Throws<InvalidOperationException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(failing) }).Run());

        var second = new FakeRewardSource();
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(second) }).Run();
        Assert.Equal((48L, 52L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(rows.Skip(48).Select(r => r["response"]), second.Seen.Select(q => q.Response));
        var ids = SampleRows.ReadAll(output).Select(r => r.GetText("id")).ToArray();
        Assert.Equal(rows.Select(r => r.GetText("id")), ids);
        Assert.Equal(clean, File.ReadAllBytes(output));

        var third = new FakeRewardSource();
        var again = new RelabelJob(options with { Rewards = RewardColumn.For(third) }).Run();
        Assert.Equal((100L, 0L), (again.RowsAlreadyDone, again.RowsScored));
        Assert.Empty(third.CallSizes);
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Fact]
    public void Resume_off_starts_the_output_afresh()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 20);
        var output = dir.File("out.jsonl");
        File.WriteAllText(output, "{\"id\":\"someone else's row\"}\n");
        var options = RelabelTestKit.Options(input, output) with { Resume = false };
        var summary = new RelabelJob(options).Run();
        Assert.Equal(20, summary.RowsScored);
        Assert.Equal(RelabelTestKit.CleanRun(options, dir.File("clean.jsonl")), File.ReadAllBytes(output));
    }

    [Fact]
    public void Resuming_onto_another_jobs_output_is_refused()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 20);
        var output = dir.File("out.jsonl");
        File.WriteAllText(output, "{\"id\":\"someone else's row\",\"reward\":1}\n");
        var ex = Assert.Throws<JobMismatchException>(() => new RelabelJob(RelabelTestKit.Options(input, output)).Run());
        Assert.Contains("has no manifest", ex.Problem);
        Assert.Contains("Resume = false", ex.Fix);
        Assert.Equal("{\"id\":\"someone else's row\",\"reward\":1}\n", File.ReadAllText(output));

        // A checkpoint from the same job settings but other input rows: the first row already done is not the input's.
        var other = dir.File("other.jsonl");
        var otherRows = SampleRows.Make(20);
        foreach (var r in otherRows) r["id"] = "x" + r["id"];
        SampleRows.Write(other, otherRows);
        var second = dir.File("second.jsonl");
        RelabelTestKit.Interrupt(RelabelTestKit.Options(other, second, batchSize: 4), failAtCall: 2);
        var checkpoint = File.ReadAllBytes(RelabelTestKit.Checkpoint(second));
        var foreign = Assert.Throws<JobMismatchException>(() => new RelabelJob(RelabelTestKit.Options(input, second, batchSize: 4)).Run());
        Assert.Contains("id 'xr00000'", foreign.Problem);
        Assert.Contains("id 'r00000'", foreign.Problem);
        Assert.Equal(checkpoint, File.ReadAllBytes(RelabelTestKit.Checkpoint(second)));
    }

    [Fact]
    public void Rows_without_an_id_resume_by_content_hash_even_with_duplicates()
    {
        using var dir = new TempFolder();
        var rows = SampleRows.Make(30);
        foreach (var r in rows) r.Remove("id");
        rows.Insert(10, rows[9].Clone());
        var input = dir.File("noid.jsonl");
        SampleRows.Write(input, rows);
        var output = dir.File("out.jsonl");
        var options = RelabelTestKit.Options(input, output, batchSize: 4) with { Columns = ColumnMap.Default with { Id = null } };
        var clean = RelabelTestKit.CleanRun(options, dir.File("clean.jsonl"));
        var failing = new FakeRewardSource { BeforeCall = call => { if (call == 3) throw new InvalidOperationException(); } };
        Assert.Throws<InvalidOperationException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(failing) }).Run());
        var summary = new RelabelJob(options).Run();
        Assert.Equal((12L, 19L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(clean, File.ReadAllBytes(output));
    }

    [Fact]
    public void A_finished_parquet_output_takes_rows_added_to_the_input_later()
    {
        using var dir = new TempFolder();
        var rows = SampleRows.Make(60);
        var input = dir.File("in.jsonl");
        SampleRows.Write(input, rows.Take(40).ToArray());
        var output = dir.File("out.parquet");
        var options = RelabelTestKit.Options(input, output, batchSize: 16);
        new RelabelJob(options).Run();
        Assert.Equal(40, SampleRows.ReadAll(output).Count);

        SampleRows.Write(input, rows);
        var reward = new FakeRewardSource();
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(reward) }).Run();
        Assert.Equal((40L, 20L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(20, reward.Seen.Count);
        var output60 = SampleRows.ReadAll(output);
        Assert.Equal(rows.Select(r => r["id"]), output60.Select(r => r["id"]));
        Assert.Equal(rows.Select(r => (double?)((string)r["response"]!).Length), output60.Select(r => r.GetNumber("reward")));
        Assert.False(File.Exists(output + ".checkpoint.jsonl"));
    }

    [Fact]
    public void An_empty_input_gives_an_empty_but_valid_output()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("in.csv"), "id,prompt,response\r\n");
        var summary = new RelabelJob(RelabelTestKit.Options(dir.File("in.csv"), dir.File("out.parquet"))).Run();
        Assert.Equal(0, summary.RowsInOutput);
        using var reader = RecordFiles.OpenReader(dir.File("out.parquet"));
        Assert.Equal(new[] { "id", "prompt", "response", "reward" }, reader.DeclaredColumns);
        Assert.Null(reader.Read());
        new RelabelJob(RelabelTestKit.Options(dir.File("in.csv"), dir.File("out.csv"))).Run();
        Assert.Equal("id,prompt,response,reward\r\n", File.ReadAllText(dir.File("out.csv")));
    }
}
