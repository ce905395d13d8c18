namespace AlignedGen.Tests.ScaleOut;

/// <summary>
/// Sets this process's scheduler variables as a Slurm array task or an Indexed Job pod would have them, clearing the
/// others (the suite itself may run inside a Slurm job), and restores them all on dispose. Tests using it belong to
/// the <see cref="RunsAlone"/> collection: the environment is the process's.
/// </summary>
internal sealed class SchedulerEnvironment : IDisposable
{
    public static readonly string[] Names =
    {
        "SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX", "ALIGNGEN_SHARD_COUNT",
    };

    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    public SchedulerEnvironment() => Set();

    /// <summary>Clears every scheduler variable, then sets the given ones.</summary>
    public void Set(params (string Name, object Value)[] variables)
    {
        foreach (var name in Names) Environment.SetEnvironmentVariable(name, null);
        foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value.ToString());
    }

    /// <summary>The variables of task <paramref name="id"/> of <c>sbatch --array=MIN-MAX</c>.</summary>
    public void SlurmTask(int id, int min, int max) => Set(("SLURM_JOB_ID", 500 + id), ("SLURM_ARRAY_JOB_ID", 500), ("SLURM_ARRAY_TASK_ID", id),
        ("SLURM_ARRAY_TASK_COUNT", max - min + 1), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_MAX", max), ("SLURM_ARRAY_TASK_STEP", 1));

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
    }
}
