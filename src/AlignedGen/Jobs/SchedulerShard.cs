using System.Globalization;

namespace AlignedGen.Jobs;

/// <summary>
/// The shard a batch scheduler gave this process, read from its environment, so that one command line serves every task
/// of a job: a Slurm job-array task (<c>SLURM_ARRAY_TASK_ID</c> with the array's <c>_COUNT</c>, <c>_MIN</c>, <c>_MAX</c>,
/// <c>_STEP</c>) or a Kubernetes Indexed Job pod (<c>JOB_COMPLETION_INDEX</c>; Kubernetes does not tell the pod the
/// number of completions, so the count comes from the caller or <see cref="CountVariable"/>). See docs/scale-out.md.
/// </summary>
public static class SchedulerShard
{
    /// <summary>The environment variable giving the shard count where the scheduler does not (a Kubernetes manifest sets it to the Job's completions).</summary>
    public const string CountVariable = "ALIGNGEN_SHARD_COUNT";

    private const string SlurmTask = "SLURM_ARRAY_TASK_ID";
    private const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>This process's shard, from <see cref="Environment"/>; <paramref name="count"/> overrides the count the environment gives.</summary>
    public static ShardSpec FromEnvironment(int? count = null) => FromEnvironment(Environment.GetEnvironmentVariable, count);

    /// <summary>
    /// The shard described by the variables <paramref name="variable"/> returns (null for an unset one). A Slurm array
    /// task is shard <c>(id − min) / step</c> of the array's task count; with an explicit count (<paramref name="count"/>
    /// or <see cref="CountVariable"/>) the task id itself is the index, as for Kubernetes, so a single index resubmitted
    /// alone (<c>sbatch --array=2</c>) keeps its place. Throws <see cref="ShardEnvironmentException"/> when there is no
    /// scheduler task, the count is unknown, the array is not evenly spaced, or the index falls outside the count.
    /// </summary>
    public static ShardSpec FromEnvironment(Func<string, string?> variable, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (count is < 1)
            throw new ShardEnvironmentException($"the shard count given is {count}.", "give a count of at least 1 (auto/N, N = the number of tasks).");
        var explicitCount = count ?? Number(variable, CountVariable, minimum: 1);
        if (Number(variable, SlurmTask, minimum: 0) is { } taskId)
            return explicitCount is { } n ? Checked(taskId, n, $"{SlurmTask}={taskId}", SlurmExplicitCountFix(n)) : FromSlurmArray(variable, taskId);
        if (Number(variable, KubernetesIndex, minimum: 0) is { } podIndex)
        {
            var n = explicitCount ?? throw new ShardEnvironmentException(
                $"{KubernetesIndex}={podIndex} (a Kubernetes Indexed Job) but the number of shards is unknown: Kubernetes does not tell a pod the Job's completions.",
                $"set {CountVariable} in the pod's env to the Job's completions, or give the count as auto/N.");
            return Checked(podIndex, n, $"{KubernetesIndex}={podIndex}", $"set {CountVariable} (or auto/N) to the Job's completions, and completions = parallelism = N.");
        }
        if (!string.IsNullOrEmpty(variable("SLURM_JOB_ID")))
            throw new ShardEnvironmentException(
                $"this is Slurm job {variable("SLURM_JOB_ID")}, but not a job-array task ({SlurmTask} is not set).",
                "submit the job as an array, e.g. sbatch --array=0-3 for four shards, or give the shard as INDEX/COUNT.");
        throw new ShardEnvironmentException(
            $"no scheduler task was found in the environment (neither {SlurmTask} of a Slurm job array nor {KubernetesIndex} of a Kubernetes Indexed Job is set).",
            "run inside a Slurm array task or an Indexed Job pod, or give the shard as INDEX/COUNT (e.g. 0/4).");
    }

    /// <summary>Index (id − min) / step of the array's tasks; the array must be evenly spaced so that every index is used once.</summary>
    private static ShardSpec FromSlurmArray(Func<string, string?> variable, int taskId)
    {
        var taskCount = Number(variable, "SLURM_ARRAY_TASK_COUNT", minimum: 1);
        var min = Number(variable, "SLURM_ARRAY_TASK_MIN", minimum: 0);
        var max = Number(variable, "SLURM_ARRAY_TASK_MAX", minimum: 0);
        var step = Number(variable, "SLURM_ARRAY_TASK_STEP", minimum: 1) ?? 1;
        var seen = $"{SlurmTask}={taskId}, SLURM_ARRAY_TASK_COUNT={Show(taskCount)}, _MIN={Show(min)}, _MAX={Show(max)}, _STEP={step}";
        var span = min is { } lo && max is { } hi && hi >= lo ? (hi - lo) / step + 1 : (int?)null;
        var count = taskCount ?? span ?? throw new ShardEnvironmentException(
            $"{SlurmTask}={taskId} but the array's size is not in the environment (SLURM_ARRAY_TASK_COUNT, or _MIN and _MAX).",
            $"give the shard count as auto/N (or set {CountVariable}); the task id is then the shard index.");
        if (span is { } evenCount && evenCount != count)
            throw new ShardEnvironmentException(
                $"the job array is not evenly spaced ({seen}): its {count} task ids cannot be numbered 0..{count - 1}.",
                $"submit a range such as --array=0-{count - 1} (a step such as --array=1-{1 + 2 * (count - 1)}:2 works too), or give the count as auto/N so that the task id is the shard index.");
        var first = min ?? 0;
        if (taskId < first || (taskId - first) % step != 0)
            throw new ShardEnvironmentException($"task {taskId} is not on the array's range ({seen}).",
                "submit a range such as --array=0-3, or give the shard as INDEX/COUNT.");
        return Checked((taskId - first) / step, count, seen, $"submit a range such as --array=0-{count - 1}, or give the shard as INDEX/COUNT.");
    }

    private static ShardSpec Checked(int index, int count, string seen, string fix) =>
        index < count
            ? new ShardSpec(index, count)
            : throw new ShardEnvironmentException($"the task's shard index {index} ({seen}) is outside 0..{count - 1} for {count} shard(s).", fix);

    private static string SlurmExplicitCountFix(int count) =>
        $"with an explicit count the array task id is the shard index: number the array 0..{count - 1} (--array=0-{count - 1}), or leave the count out to take it from the array.";

    /// <summary>The variable as a whole number ≥ <paramref name="minimum"/>; null when unset or empty.</summary>
    private static int? Number(Func<string, string?> variable, string name, int minimum)
    {
        var text = variable(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
        throw new ShardEnvironmentException($"{name}='{text}' is not a whole number of at least {minimum}.",
            name == CountVariable ? $"set {CountVariable} to the number of shards (the Job's completions, or the array's size)." : $"unset {name} or run the task under its scheduler.");
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unset";
}
