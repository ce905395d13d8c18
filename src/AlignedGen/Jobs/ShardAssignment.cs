namespace AlignedGen.Jobs;

/// <summary>How input rows are assigned to shards. Both are stable: the same input gives the same assignment every run.</summary>
public enum ShardAssignment
{
    /// <summary>Record index (0-based, counting corrupt records) modulo the shard count: even shares.</summary>
    RowIndex,

    /// <summary>Stable hash (SHA-256) of the row id, or of the row content when there is no id column: survives reordering.</summary>
    IdHash,
}
