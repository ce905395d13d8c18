using AlignedGen.Data;
using AlignedGen.Jobs;

namespace AlignedGen.Relabeling;

/// <summary>
/// Merges the outputs of a sharded relabel job back into the input's row order, so the result equals the output of one
/// unsharded run (see <see cref="DatasetShards"/>, which does the work from the shards' manifests alone).
/// </summary>
public static class ShardMerger
{
    /// <summary>
    /// Merges <paramref name="shardOutputPaths"/> (index i holds shard i of <c>shardOutputPaths.Count</c>, all run with
    /// <paramref name="job"/>'s input, columns, rewards, shard assignment and skip mode) into <paramref name="mergedPath"/>.
    /// Returns the number of rows written. Throws <see cref="DataFileException"/> when a shard is missing, unfinished,
    /// listed out of order or written by another job; nothing is written then.
    /// </summary>
    public static long Merge(RelabelOptions job, IReadOnlyList<string> shardOutputPaths, string mergedPath, RecordFormat? mergedFormat = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate();
        return DatasetShards.Merge(shardOutputPaths, mergedPath, job.InputPath, mergedFormat, job.ToJobSpec().Identity, cancellationToken);
    }
}
