using AlignedGen.Jobs;
using AlignedGen.Relabeling;

namespace AlignedGen.Cli.Options;

/// <summary>
/// Reads `--shard` with the core's <see cref="ShardSpec.Parse"/>: INDEX/COUNT (0-based), `auto` (the task's shard in a
/// Slurm job array or Kubernetes Indexed Job) or `auto/COUNT`. An `auto` failure keeps the core's problem and fix
/// without its "Shard 'auto':" lead, since the CLI puts the option and its value in front.
/// </summary>
public static class ShardText
{
    public static ShardSpec Parse(string text)
    {
        try
        {
            return ShardSpec.Parse(text);
        }
        catch (ShardEnvironmentException e)
        {
            throw new ArgumentException($"{e.Problem} Fix: {e.Fix}", e);
        }
    }
}
