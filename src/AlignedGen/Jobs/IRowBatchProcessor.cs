using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>What a dataset job does to its rows, batch by batch (relabeling: score them; generation: decode their prompts).</summary>
internal interface IRowBatchProcessor
{
    /// <summary>
    /// Adds an input row to the pending batch, with its line (for errors) and its identity key (its id, or a hash of its
    /// content: stable across runs and shards); throws for a row the job cannot take at all.
    /// </summary>
    void Add(DataRow row, long line, string key);

    /// <summary>True when the pending batch should be processed now.</summary>
    bool IsFull { get; }

    /// <summary>Rows waiting in the batch.</summary>
    int PendingRows { get; }

    /// <summary>Processes the pending rows and returns the output rows in the same order (input columns, then the job's columns); clears the batch.</summary>
    IReadOnlyList<DataRow> ProcessPending();
}
