using AlignedGen.Jobs;

namespace AlignedGen.Relabeling;

/// <summary>
/// Scores every (prompt, response) of a dataset with one or more reward sources and writes the rows back with reward
/// columns added. Durable (each batch is appended to a checkpoint, flushed and fsync'd, before the next is scored),
/// resumable (a re-run checks the rows already done against the input — same rows, same content — and skips them) and
/// safe (the output appears only when complete, beside a manifest naming the rewards, columns and options that made it;
/// a resume with anything else is refused). See docs/relabeling.md.
/// </summary>
public sealed class RelabelJob
{
    /// <summary>A job for the options; checks their combination (<see cref="RelabelOptions.Validate"/>).</summary>
    public RelabelJob(RelabelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The job's options.</summary>
    public RelabelOptions Options { get; }

    /// <summary>The side file listing skipped corrupt records: &lt;output&gt;.skipped.jsonl.</summary>
    public string SkippedRecordsPath => DatasetJobEngine.SkippedRecordsPath(Options.OutputPath);

    /// <summary>
    /// Runs the job to completion and returns what it did. Cancellation stops it after the batch in flight is written
    /// (throwing <see cref="OperationCanceledException"/>); a re-run resumes from there.
    /// </summary>
    public RelabelSummary Run(IProgress<RelabelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = Options;
        var scorer = new RowScorer(o, Path.GetFullPath(o.InputPath));
        var result = DatasetJobEngine.Run(o.ToJobSpec(), scorer, o.CountTotalRows,
            progress is null ? null : p => progress.Report(new RelabelProgress(p.RowsDone, p.TotalRows, p.RowsThisRun, p.RowsSkipped, p.RowsPerSecond, p.Elapsed)),
            cancellationToken);
        return new RelabelSummary(o, result, scorer.QueriesScored);
    }
}
