using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

/// <summary>
/// Shards read from injected environments. The Slurm environments are the SLURM_ARRAY_* variables slurm-wlm 22.05 set in
/// real array tasks on the test cluster (build/slurm/cluster.sh): --array=0-3, 1-7:3, 0,2,5, a single index, a requeued task.
/// </summary>
public class SchedulerShardTests
{
    private static Func<string, string?> Env(params (string Name, object Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value.ToString());
        return name => map.GetValueOrDefault(name);
    }

    private static Func<string, string?> SlurmTask(int id, int count, int min, int max, int step = 1) => Env(
        ("SLURM_JOB_ID", 100 + id), ("SLURM_ARRAY_JOB_ID", 100), ("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_COUNT", count),
        ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_MAX", max), ("SLURM_ARRAY_TASK_STEP", step));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    public void A_slurm_array_from_zero_gives_the_task_id_as_index(int id, int index)
    {
        Assert.Equal(new ShardSpec(index, 4), SchedulerShard.FromEnvironment(SlurmTask(id, 4, 0, 3)));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 1)]
    [InlineData(7, 2)]
    public void A_slurm_array_with_an_offset_and_a_step_is_numbered_from_zero(int id, int index)
    {
        // sbatch --array=1-7:3
        Assert.Equal(new ShardSpec(index, 3), SchedulerShard.FromEnvironment(SlurmTask(id, 3, 1, 7, 3)));
    }

    [Fact]
    public void A_slurm_array_starting_at_one_is_numbered_from_zero()
    {
        Assert.Equal(new ShardSpec(3, 4), SchedulerShard.FromEnvironment(SlurmTask(4, 4, 1, 4)));
    }

    [Fact]
    public void Min_and_max_alone_give_the_count()
    {
        var env = Env(("SLURM_ARRAY_TASK_ID", 12), ("SLURM_ARRAY_TASK_MIN", 10), ("SLURM_ARRAY_TASK_MAX", 14));
        Assert.Equal(new ShardSpec(2, 5), SchedulerShard.FromEnvironment(env));
    }

    [Fact]
    public void The_count_alone_gives_shards_of_an_array_from_zero()
    {
        var env = Env(("SLURM_ARRAY_TASK_ID", 2), ("SLURM_ARRAY_TASK_COUNT", 3));
        Assert.Equal(new ShardSpec(2, 3), SchedulerShard.FromEnvironment(env));
    }

    [Fact]
    public void A_requeued_task_keeps_its_shard()
    {
        var env = Env(("SLURM_ARRAY_TASK_ID", 1), ("SLURM_ARRAY_TASK_COUNT", 2), ("SLURM_ARRAY_TASK_MIN", 0), ("SLURM_ARRAY_TASK_MAX", 1),
            ("SLURM_ARRAY_TASK_STEP", 1), ("SLURM_RESTART_COUNT", 1));
        Assert.Equal(new ShardSpec(1, 2), SchedulerShard.FromEnvironment(env));
    }

    [Fact]
    public void An_unevenly_spaced_array_is_refused_with_the_fix()
    {
        // sbatch --array=0,2,5: Slurm reports count 3, min 0, max 5, step 1.
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(SlurmTask(5, 3, 0, 5)));
        Assert.Contains("not evenly spaced", e.Problem);
        Assert.Contains("SLURM_ARRAY_TASK_COUNT=3", e.Problem);
        Assert.Contains("--array=0-2", e.Fix);
    }

    [Fact]
    public void A_single_index_resubmitted_alone_needs_the_count_and_then_keeps_its_place()
    {
        // sbatch --array=3: count 1, min = max = 3. Without a count it would be shard 0 of 1; with auto/4 it is 3 of 4.
        var single = SlurmTask(3, 1, 3, 3);
        Assert.Equal(ShardSpec.All, SchedulerShard.FromEnvironment(single));
        Assert.Equal(new ShardSpec(3, 4), SchedulerShard.FromEnvironment(single, count: 4));
        Assert.Equal(new ShardSpec(3, 4), ShardSpec.Parse("auto/4", single));
    }

    [Fact]
    public void The_count_variable_overrides_the_array_and_the_task_id_is_the_index()
    {
        var env = Env(("SLURM_ARRAY_TASK_ID", 3), ("SLURM_ARRAY_TASK_COUNT", 1), ("SLURM_ARRAY_TASK_MIN", 3), ("SLURM_ARRAY_TASK_MAX", 3),
            (SchedulerShard.CountVariable, 8));
        Assert.Equal(new ShardSpec(3, 8), SchedulerShard.FromEnvironment(env));
    }

    [Fact]
    public void A_task_id_outside_an_explicit_count_is_refused()
    {
        // --array=1-4 with auto/4: task 4 is not a shard of 4 when the id is the index.
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(SlurmTask(4, 4, 1, 4), count: 4));
        Assert.Contains("index 4", e.Problem);
        Assert.Contains("0..3", e.Problem);
        Assert.Contains("--array=0-3", e.Fix);
    }

    [Fact]
    public void A_kubernetes_indexed_job_takes_its_count_from_the_variable_or_the_caller()
    {
        Assert.Equal(new ShardSpec(2, 4), SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", 2), (SchedulerShard.CountVariable, 4))));
        Assert.Equal(new ShardSpec(2, 5), SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", 2), (SchedulerShard.CountVariable, 4)), count: 5));
        Assert.Equal(new ShardSpec(0, 3), ShardSpec.Parse("AUTO/3", Env(("JOB_COMPLETION_INDEX", 0))));
    }

    [Fact]
    public void A_kubernetes_pod_without_a_count_is_told_where_to_put_it()
    {
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", 1))));
        Assert.Contains("JOB_COMPLETION_INDEX=1", e.Problem);
        Assert.Contains(SchedulerShard.CountVariable, e.Fix);
        Assert.Contains("auto/N", e.Fix);
    }

    [Fact]
    public void A_kubernetes_index_outside_the_count_is_refused()
    {
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", 4), (SchedulerShard.CountVariable, 4))));
        Assert.Contains("index 4", e.Problem);
        Assert.Contains("outside 0..3", e.Problem);
    }

    [Fact]
    public void No_scheduler_is_an_error_naming_both_variables()
    {
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(Env()));
        Assert.Contains("SLURM_ARRAY_TASK_ID", e.Problem);
        Assert.Contains("JOB_COMPLETION_INDEX", e.Problem);
        Assert.Contains("INDEX/COUNT", e.Fix);
        Assert.StartsWith("Shard 'auto': ", e.Message);
    }

    [Fact]
    public void A_slurm_job_that_is_not_an_array_is_told_to_submit_one()
    {
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(Env(("SLURM_JOB_ID", 42))));
        Assert.Contains("job 42", e.Problem);
        Assert.Contains("sbatch --array=0-3", e.Fix);
    }

    [Theory]
    [InlineData("SLURM_ARRAY_TASK_ID", "x")]
    [InlineData("SLURM_ARRAY_TASK_ID", "-1")]
    [InlineData("JOB_COMPLETION_INDEX", "1.5")]
    [InlineData("ALIGNGEN_SHARD_COUNT", "0")]
    public void A_malformed_variable_is_named(string name, string value)
    {
        var env = name == "ALIGNGEN_SHARD_COUNT" ? Env((name, value), ("JOB_COMPLETION_INDEX", 0)) : Env((name, value), (SchedulerShard.CountVariable, 4));
        var e = Assert.Throws<ShardEnvironmentException>(() => SchedulerShard.FromEnvironment(env));
        Assert.Contains($"{name}='{value}'", e.Problem);
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData(" 3/4 ", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void Explicit_shards_still_parse(string text, int index, int count)
    {
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text, Env(("JOB_COMPLETION_INDEX", 9))));
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    public void Explicit_shards_out_of_range_are_refused(string text)
    {
        Assert.ThrowsAny<ArgumentException>(() => ShardSpec.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("auto/")]
    [InlineData("automatic")]
    [InlineData("1/2/3")]
    [InlineData("one/two")]
    public void Text_that_is_not_a_shard_says_what_is_accepted(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ShardSpec.Parse(text, Env()));
        Assert.Contains("INDEX/COUNT", e.Message);
        Assert.Contains("auto", e.Message);
    }
}
