using System.Globalization;

namespace AlignedGen.Jobs;

/// <summary>Shard <see cref="Index"/> (0-based) of <see cref="Count"/>: which share of the input rows one process relabels.</summary>
public sealed record ShardSpec
{
    /// <summary>All rows: shard 0 of 1.</summary>
    public static ShardSpec All { get; } = new(0, 1);

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/>; 0 ≤ index &lt; count.</summary>
    public ShardSpec(int index, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Shard count must be at least 1. Fix: pass the number of processes sharing the input.");
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Shard index must be in 0..{count - 1} for {count} shard(s). Fix: number shards from 0.");
        Index = index;
        Count = count;
    }

    /// <summary>0-based shard index.</summary>
    public int Index { get; }

    /// <summary>Number of shards.</summary>
    public int Count { get; }

    public override string ToString() => $"shard {Index} of {Count}";

    /// <summary>
    /// A shard as written on a command line: "INDEX/COUNT" (0-based, e.g. "0/4"), "auto" (index and count from a Slurm job
    /// array or Kubernetes Indexed Job, <see cref="SchedulerShard"/>) or "auto/COUNT" (index from the scheduler, count
    /// given). <paramref name="environment"/> replaces the process environment (tests).
    /// </summary>
    public static ShardSpec Parse(string text, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        var auto = parts[0].Equals("auto", StringComparison.OrdinalIgnoreCase);
        if (auto && parts.Length == 1) return SchedulerShard.FromEnvironment(environment ?? Environment.GetEnvironmentVariable);
        if (parts.Length == 2 && Whole(parts[1]) is { } count)
        {
            if (auto) return SchedulerShard.FromEnvironment(environment ?? Environment.GetEnvironmentVariable, count);
            if (Whole(parts[0]) is { } index) return new ShardSpec(index, count);
        }
        throw new ArgumentException(
            $"'{text}' is not a shard. Fix: write INDEX/COUNT (0-based, e.g. 0/4 for the first of four), auto (from a Slurm job array or Kubernetes Indexed Job) or auto/COUNT.",
            nameof(text));
    }

    private static int? Whole(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
