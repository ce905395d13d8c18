using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.ModelBuilding;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// A resume continues only the job that wrote the output: another reward model, reward column, option or shard is
/// refused with what differs; input rows edited after they were scored are found; a forced restart never adopts the old
/// output. Every case here was a silent wrong dataset (exit 0) before job manifests.
/// </summary>
public class RelabelResumeIdentityTests
{
    private static string TinyRewardModel(TempFolder dir, string name, int multiplier) =>
        TinyRewardModelBuilder.WriteSequenceClassificationFolder(
            new TinyRewardModelOptions(Enumerable.Range(0, 259).Select(i => (float)(i * multiplier % 17)).ToArray(), RewardRule.PrefixMeanValue),
            dir.File(name));

    /// <summary>Runs until the first batch is written, then cancels: the checkpoint and manifest a killed run leaves.</summary>
    private static void RunOneBatch(RelabelOptions options)
    {
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<RelabelProgress>(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => new RelabelJob(options).Run(progress, cts.Token));
        Assert.True(File.Exists(RelabelTestKit.Checkpoint(options.OutputPath)));
    }

    [Fact]
    public void Resuming_with_a_different_reward_model_is_refused_naming_the_file_that_differs()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 40);
        using var a = RewardModelLoader.FromFolder(TinyRewardModel(dir, "rm-a", 3));
        using var b = RewardModelLoader.FromFolder(TinyRewardModel(dir, "rm-b", 5));
        var output = dir.File("out.jsonl");
        var options = new RelabelOptions(input, output, RewardColumn.For(a)) { BatchSize = 8 };
        RunOneBatch(options);
        var checkpoint = File.ReadAllBytes(RelabelTestKit.Checkpoint(output));

        var ex = Assert.Throws<JobMismatchException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(b) }).Run());
        Assert.Contains(ex.Differences, d => d.Contains("files[\"model.onnx\"].sha256"));
        Assert.Contains("differs from the one that wrote the output", ex.Problem);
        Assert.Contains("new output", ex.Fix);
        Assert.Contains("Resume = false", ex.Fix);
        Assert.Equal(checkpoint, File.ReadAllBytes(RelabelTestKit.Checkpoint(output)));
        Assert.False(File.Exists(output));

        // The same model resumes, and the result is an uninterrupted run's.
        var summary = new RelabelJob(options).Run();
        Assert.Equal(8, summary.RowsAlreadyDone);
        new RelabelJob(options with { OutputPath = dir.File("clean.jsonl") }).Run();
        Assert.Equal(File.ReadAllBytes(dir.File("clean.jsonl")), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    public void A_different_reward_column_name_is_refused(string name)
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 30);
        var options = RelabelTestKit.Options(input, dir.File(name), batchSize: 5);
        RunOneBatch(options);
        var ex = Assert.Throws<JobMismatchException>(() =>
            new RelabelJob(options with { Rewards = new[] { new RewardColumn(new FakeRewardSource(), "score") } }).Run());
        Assert.Contains(ex.Differences, d => d.Contains("job.rewards.reward") && d.Contains("now absent"));
        Assert.Contains(ex.Differences, d => d.Contains("job.rewards.score") && d.Contains("was absent"));
    }

    [Fact]
    public void Changed_options_shard_or_columns_are_refused_but_a_new_batch_size_resumes()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 30);
        var options = RelabelTestKit.Options(input, dir.File("out.jsonl"), batchSize: 5);
        RunOneBatch(options);
        Assert.Contains(Assert.Throws<JobMismatchException>(() => new RelabelJob(options with { Shard = new ShardSpec(0, 2) }).Run()).Differences,
            d => d == "shard was \"0/1\", now \"0/2\"");
        Assert.Contains(Assert.Throws<JobMismatchException>(() => new RelabelJob(options with { Strict = false }).Run()).Differences,
            d => d.StartsWith("dataset.strict was true, now false"));
        Assert.Contains(Assert.Throws<JobMismatchException>(() => new RelabelJob(options with { Columns = ColumnMap.Default with { Reference = "prompt_id" } }).Run()).Differences,
            d => d.Contains("job.columns.reference"));
        var summary = new RelabelJob(options with { BatchSize = 7 }).Run();
        Assert.Equal((5L, 25L), (summary.RowsAlreadyDone, summary.RowsScored));
    }

    [Fact]
    public void An_input_row_edited_after_it_was_scored_is_found_on_resume()
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 30);
        var output = dir.File("out.jsonl");
        var options = RelabelTestKit.Options(input, output, batchSize: 10);
        RunOneBatch(options);

        rows[3]["response"] = "an edited response";
        SampleRows.Write(input, rows);
        var ex = Assert.Throws<JobMismatchException>(() => new RelabelJob(options).Run());
        Assert.Equal(input, ex.Path);
        Assert.Equal(4, ex.LineNumber);
        Assert.Contains("id 'r00003' was edited after it was processed", ex.Problem);
        Assert.Contains("column 'response' was 'Response 3", ex.Problem);
        Assert.Contains("is now 'an edited response'", ex.Problem);

        // Rows not yet scored may change freely.
        rows[3] = SampleRows.Make(30)[3];
        rows[25]["response"] = "changed before it was scored";
        SampleRows.Write(input, rows);
        Assert.Equal(20, new RelabelJob(options).Run().RowsScored);
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void A_finished_output_extends_with_new_rows_but_refuses_an_edited_earlier_row(string name)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 20);
        var output = dir.File(name);
        var options = RelabelTestKit.Options(input, output, batchSize: 6);
        new RelabelJob(options).Run();
        var finished = File.ReadAllBytes(output);

        var grown = SampleRows.Make(26);
        grown[7]["prompt"] = "edited after scoring";
        SampleRows.Write(input, grown);
        var ex = Assert.Throws<JobMismatchException>(() => new RelabelJob(options).Run());
        Assert.Contains("changed since the output", ex.Problem);
        Assert.Equal(finished, File.ReadAllBytes(output));

        SampleRows.Write(input, SampleRows.Make(26));
        var reward = new FakeRewardSource();
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(reward) }).Run();
        Assert.Equal((20L, 6L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(6, reward.Seen.Count);
        new RelabelJob(options with { OutputPath = dir.File("clean-" + name) }).Run();
        Assert.Equal(SampleRows.ReadAll(dir.File("clean-" + name)).Select(r => r.ToString()), SampleRows.ReadAll(output).Select(r => r.ToString()));

        // Rows removed from the input are refused too.
        SampleRows.Write(input, SampleRows.Make(24));
        Assert.Contains("rows were removed", Assert.Throws<JobMismatchException>(() => new RelabelJob(options).Run()).Problem);
    }

    [Theory]
    [InlineData("out.parquet")]
    [InlineData("out.jsonl")]
    public void A_forced_run_killed_before_its_first_batch_never_adopts_the_old_output(string name)
    {
        using var dir = new TempFolder();
        var (input, rows) = RelabelTestKit.Input(dir, 12);
        var output = dir.File(name);
        var options = RelabelTestKit.Options(input, output, batchSize: 4);
        new RelabelJob(options).Run();
        var old = File.ReadAllBytes(output);

        var doubled = new FakeRewardSource("doubled", q => 2 * q.Response.Length) { BeforeCall = _ => throw new InvalidOperationException("killed") };
        Assert.Throws<InvalidOperationException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(doubled), Resume = false }).Run());
        Assert.Equal(old, File.ReadAllBytes(output));

        // Resuming with the old reward is refused: the output now belongs to the forced run.
        Assert.IsType<JobMismatchException>(Assert.ThrowsAny<DataFileException>(() => new RelabelJob(options).Run()));
        var summary = new RelabelJob(options with { Rewards = RewardColumn.For(new FakeRewardSource("doubled", q => 2 * q.Response.Length)) }).Run();
        Assert.Equal((0L, 12L), (summary.RowsAlreadyDone, summary.RowsScored));
        Assert.Equal(rows.Select(r => (double)(2 * ((string)r["response"]!).Length)), SampleRows.ReadAll(output).Select(r => r.GetNumber("reward")!.Value));
    }

    [Fact]
    public void The_manifest_names_the_reward_files_by_hash_and_fingerprints_the_rows_done()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 10);
        var folder = TinyRewardModel(dir, "rm", 3);
        using var rm = RewardModelLoader.FromFolder(folder);
        var output = dir.File("out.csv");
        new RelabelJob(new RelabelOptions(input, output, RewardColumn.For(rm))).Run();

        var manifest = JsonNode.Parse(File.ReadAllText(output + ".manifest.json"))!;
        Assert.Equal("relabel", (string?)manifest["kind"]);
        Assert.Equal("complete", (string?)manifest["state"]);
        Assert.Equal(10, (long?)manifest["rows_done"]);
        Assert.StartsWith("sha256:", (string?)manifest["input_fingerprint"]);
        var model = manifest["identity"]!["job"]!["rewards"]!["reward"]!;
        Assert.Equal("onnx-reward-model", (string?)model["kind"]);
        var bytes = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), (string?)model["files"]!["model.onnx"]!["sha256"]);
        Assert.Equal(bytes.Length, (long?)model["files"]!["model.onnx"]!["size"]);
        Assert.Equal("csv", (string?)manifest["identity"]!["dataset"]!["output_format"]);
        Assert.False(File.Exists(output + ".lock"));
        Assert.False(File.Exists(RelabelTestKit.Checkpoint(output)));
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
