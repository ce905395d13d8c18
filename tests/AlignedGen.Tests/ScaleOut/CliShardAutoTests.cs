using System.Text.Json;
using AlignedGen.Tests.Cli;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>`aligngen relabel --shard auto` in the environment of each task of a job array, merged as one run's output.</summary>
[Collection(nameof(RunsAlone))]
public class CliShardAutoTests
{
    private static string WriteRows(TempFolder temp, int count)
    {
        var path = temp.Sub("rows.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { id = $"r{i}", prompt = $"Tell me about boat {i % 5}", response = new string('w', i % 11 + 1) + " sailed" })));
        return path;
    }

    [Fact]
    public void Each_task_of_an_array_numbered_from_one_takes_its_shard_and_the_merge_equals_one_run()
    {
        using var temp = new TempFolder();
        using var scheduler = new SchedulerEnvironment();
        var input = WriteRows(temp, 23);
        var parts = new List<string>();
        // sbatch --array=1-4: tasks 1..4 are shards 0..3; the output is named by the task id, as a job script would.
        for (var task = 1; task <= 4; task++)
        {
            scheduler.SlurmTask(task, 1, 4);
            var part = temp.Sub($"part-{task}.jsonl");
            var run = Cli.Cli.Run("relabel", "-i", input, "-o", part, "-r", "proxy", "--shard", "auto", "--resume", "--quiet");
            Assert.True(run.Code == 0, run.ToString());
            parts.Add(part);
        }
        Assert.Equal(new[] { "r2", "r6", "r10", "r14", "r18", "r22" }, File.ReadAllLines(parts[2]).Select(Id));
        scheduler.Set();
        var merge = Cli.Cli.Run(new[] { "merge", "-i", input, "-o", temp.Sub("merged.jsonl") }.Concat(parts).ToArray());
        Assert.True(merge.Code == 0, merge.ToString());
        var whole = Cli.Cli.Run("relabel", "-i", input, "-o", temp.Sub("whole.jsonl"), "-r", "proxy", "--quiet");
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.Equal(File.ReadAllBytes(temp.Sub("whole.jsonl")), File.ReadAllBytes(temp.Sub("merged.jsonl")));
    }

    [Fact]
    public void An_indexed_job_pod_takes_the_count_from_the_variable_the_manifest_sets()
    {
        using var temp = new TempFolder();
        using var scheduler = new SchedulerEnvironment();
        var input = WriteRows(temp, 7);
        scheduler.Set(("JOB_COMPLETION_INDEX", 1), ("ALIGNGEN_SHARD_COUNT", 3));
        var run = Cli.Cli.Run("relabel", "-i", input, "-o", temp.Sub("p1.jsonl"), "-r", "proxy", "--shard", "auto", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(new[] { "r1", "r4" }, File.ReadAllLines(temp.Sub("p1.jsonl")).Select(Id));
    }

    [Theory]
    [InlineData(new string[0], "--shard auto: no scheduler task was found in the environment")]
    [InlineData(new[] { "JOB_COMPLETION_INDEX=2" }, "--shard auto: JOB_COMPLETION_INDEX=2 (a Kubernetes Indexed Job) but the number of shards is unknown")]
    [InlineData(new[] { "JOB_COMPLETION_INDEX=3", "ALIGNGEN_SHARD_COUNT=3" }, "the task's shard index 3 (JOB_COMPLETION_INDEX=3) is outside 0..2 for 3 shard(s).")]
    [InlineData(new[] { "SLURM_JOB_ID=8" }, "this is Slurm job 8, but not a job-array task")]
    public void Auto_without_a_usable_task_is_a_usage_error_before_anything_is_read(string[] variables, string expected)
    {
        using var temp = new TempFolder();
        using var scheduler = new SchedulerEnvironment();
        scheduler.Set(variables.Select(v => (v.Split('=')[0], (object)v.Split('=')[1])).ToArray());
        var output = temp.Sub("out.jsonl");
        var run = Cli.Cli.Run("relabel", "-i", temp.Sub("missing.jsonl"), "-o", output, "-r", "proxy", "--shard", "auto");
        Assert.Equal(2, run.Code);
        Assert.Contains(expected, run.Error);
        Assert.Contains("Fix: ", run.Error);
        Assert.DoesNotContain("Shard 'auto'", run.Error);
        Assert.False(File.Exists(output));
    }

    private static string Id(string line) => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!;
}
