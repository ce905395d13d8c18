namespace AlignedGen.Jobs;

/// <summary>
/// A shard of "auto" could not be read from the environment: no scheduler task was found, the array's size is unknown,
/// or the task's index is outside the shard count. The message names the variables seen, the problem and the fix.
/// </summary>
public sealed class ShardEnvironmentException : ArgumentException
{
    public ShardEnvironmentException(string problem, string fix)
        : base($"Shard 'auto': {problem} Fix: {fix}")
    {
        Problem = problem;
        Fix = fix;
    }

    /// <summary>What is wrong, with the environment variables it read.</summary>
    public string Problem { get; }

    /// <summary>How to fix it.</summary>
    public string Fix { get; }
}
