namespace AlignedGen.PowerShell.Output;

/// <summary>What Merge-RelabelShard wrote: the merged file, from how many shards, with how many rows.</summary>
public sealed class MergedRelabelShards
{
    /// <summary>The input the shards were relabeled from.</summary>
    public required string InputPath { get; init; }

    /// <summary>The merged file.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Shard outputs merged.</summary>
    public required int ShardCount { get; init; }

    /// <summary>Rows written to the merged file.</summary>
    public required long RowCount { get; init; }
}
