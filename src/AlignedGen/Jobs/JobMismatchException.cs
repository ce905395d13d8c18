using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// A job cannot resume its output: the output was written by a different job (other reward, model, columns, options,
/// shard or input format), or input rows it already processed have been edited since. Nothing was changed. The fix is
/// a new output or a restart; surfaces name their own switch for a restart (<see cref="Differences"/> lists what differs).
/// </summary>
public sealed class JobMismatchException : DataFileException
{
    public JobMismatchException(string path, long? lineNumber, string problem, IReadOnlyList<string> differences, string fix)
        : base(path, lineNumber, problem, fix)
    {
        Differences = differences;
    }

    /// <summary>What differs, one item per value (e.g. "rewards.reward.files[\"model.onnx\"].sha256 was …, now …").</summary>
    public IReadOnlyList<string> Differences { get; }
}
