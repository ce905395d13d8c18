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
}
