using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// `aligngen generate --input FILE --output FILE` runs the core's generation job: a sampled run stopped by Ctrl+C and
/// resumed equals an uninterrupted one (before: resumed rows were drawn from their position in the rest of the run and
/// differed); shards merge into one run's output; a bad prompt is an error row listed in the side file, exit code 1.
/// </summary>
public class GenerateJobCommandTests
{
    private static readonly string Demo = DefaultModels.EnsureDemoModel();
    private static readonly string[] Timings = { "row_share_ms", "batch_ms", "batch_rows" };

    private static string WritePrompts(TempFolder temp, params string[] extra)
    {
        var path = temp.Sub("prompts.jsonl");
        var prompts = new[] { "The little boat sailed", "In the morning the farmer", "A good friend is someone who", "The children walked to the", "When the rain stopped, the", "Once upon a time" };
        File.WriteAllLines(path, prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"q{i}", prompt = p, topic = i % 2 })).Concat(extra));
        return path;
    }

    private static string[] Args(string input, string output, params string[] extra) =>
        new[] { "generate", "--model", Demo, "--input", input, "--output", output, "--strategy", "sample", "--max-new-tokens", "8", "--batch-size", "2", "--seed", "5" }.Concat(extra).ToArray();

    /// <summary>Every row without the batch-time columns (a share of a wall time differs from run to run).</summary>
    private static string[] Rows(string path)
    {
        using var reader = RecordFiles.OpenReader(path);
        var rows = new List<string>();
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            foreach (var t in Timings) row.Remove(t);
            rows.Add(row.ToString());
        }
        return rows.ToArray();
    }

    [Fact]
    public void A_sampled_run_stopped_and_resumed_equals_an_uninterrupted_one()
    {
        using var temp = new TempFolder();
        var input = WritePrompts(temp);
        using var cts = new CancellationTokenSource();
        var stopped = Cli.Run(new CancelOnLine(cts, "generate: "), cts.Token, Args(input, temp.Sub("out.jsonl"), "--progress", "plain"));
        Assert.True(stopped.Code == 130, stopped.ToString());
        var resumed = Cli.Run(Args(input, temp.Sub("out.jsonl"), "--resume"));
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("(2 already done)", resumed.Error);
        var once = Cli.Run(Args(input, temp.Sub("once.jsonl"), "--quiet"));
        Assert.True(once.Code == 0, once.ToString());
        Assert.Equal(Rows(temp.Sub("once.jsonl")), Rows(temp.Sub("out.jsonl")));
        Assert.Equal(6, Rows(temp.Sub("out.jsonl")).Length);
    }

    [Fact]
    public void Shards_merge_into_the_output_of_one_run()
    {
        using var temp = new TempFolder();
        var input = WritePrompts(temp);
        for (var s = 0; s < 2; s++)
        {
            var shard = Cli.Run(Args(input, temp.Sub($"s{s}.jsonl"), "--shard", $"{s}/2", "--quiet"));
            Assert.True(shard.Code == 0, shard.ToString());
        }
        var merge = Cli.Run("merge", "-o", temp.Sub("merged.jsonl"), temp.Sub("s0.jsonl"), temp.Sub("s1.jsonl"));
        Assert.True(merge.Code == 0, merge.ToString());
        Assert.True(Cli.Run(Args(input, temp.Sub("once.jsonl"), "--quiet")).Code == 0);
        Assert.Equal(Rows(temp.Sub("once.jsonl")), Rows(temp.Sub("merged.jsonl")));
    }

    [Fact]
    public void A_prompt_that_cannot_be_generated_is_an_error_row_listed_beside_the_output_with_exit_code_1()
    {
        using var temp = new TempFolder();
        var input = WritePrompts(temp, "{\"id\":\"blank\",\"prompt\":\"   \"}", "{\"id\":\"none\",\"question\":\"no prompt\"}");
        var run = Cli.Run(Args(input, temp.Sub("out.jsonl"), "--quiet"));
        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains("2 prompt(s) could not be generated", run.Error);
        Assert.Contains(temp.Sub("out.jsonl") + ".errors.jsonl", run.Error);
        using var reader = RecordFiles.OpenReader(temp.Sub("out.jsonl"));
        var rows = new List<DataRow>();
        for (var row = reader.Read(); row is not null; row = reader.Read()) rows.Add(row);
        Assert.Equal(8, rows.Count);
        Assert.Equal(new[] { "blank", "none" }, rows.Where(r => r.GetText("finish_reason") == "error").Select(r => r.GetText("id")));
        Assert.Contains("is empty", rows.Single(r => r.GetText("id") == "blank").GetText("error"));
        Assert.Equal(2, File.ReadAllLines(temp.Sub("out.jsonl") + ".errors.jsonl").Length);

        var failFast = Cli.Run(Args(input, temp.Sub("ff.jsonl"), "--quiet", "--fail-fast"));
        Assert.True(failFast.Code == 2, failFast.ToString());
        Assert.False(File.Exists(temp.Sub("ff.jsonl")));
    }
}
