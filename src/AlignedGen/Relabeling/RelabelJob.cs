using System.Diagnostics;
using AlignedGen.Data;

namespace AlignedGen.Relabeling;

/// <summary>
/// Scores every (prompt, response) of a dataset with one or more reward sources and writes the rows back with reward
/// columns added. Durable (each batch is flushed and fsync'd before the next is scored) and resumable (a re-run skips the
/// rows already in the output, after checking they match the input). See docs/relabeling.md.
/// </summary>
public sealed class RelabelJob
{
    private const int ProgressEveryResumedRows = 10_000;

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
    public string SkippedRecordsPath => Path.GetFullPath(Options.OutputPath) + ".skipped.jsonl";

    /// <summary>
    /// Runs the job to completion and returns what it did. Cancellation stops it after the batch in flight is written
    /// (throwing <see cref="OperationCanceledException"/>); a re-run resumes from there.
    /// </summary>
    public RelabelSummary Run(IProgress<RelabelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        cancellationToken.ThrowIfCancellationRequested();
        var o = Options;
        using var skipped = o.SkipBadRecords ? new SkippedRecordLog(SkippedRecordsPath) : null;
        using var input = new InputWalker(o, o.SkipBadRecords, skipped);
        CheckDeclaredColumns(input);
        using var output = RelabelOutput.Open(o);
        var csvColumns = o.ResolvedOutputFormat is RecordFormat.Csv or RecordFormat.Tsv ? OutputColumns(input.DeclaredColumns, cancellationToken) : null;
        var total = o.CountTotalRows ? ShardTotal(RecordFiles.CountRecords(o.InputPath, o.ResolvedInputFormat, o.ReaderOptions, cancellationToken)) : null;
        output.Prepare(csvColumns);
        var identity = new RowIdentity(o);
        var scorer = new RowScorer(o, input.SourceName);
        long alreadyDone = 0, scored = 0;
        var doneExhausted = false;

        void Report() => progress?.Report(new RelabelProgress(alreadyDone + scored, total, scored, skipped?.Count ?? 0,
            clock.Elapsed.TotalSeconds > 0 ? scored / clock.Elapsed.TotalSeconds : 0, clock.Elapsed));

        void WriteBatch()
        {
            // Cancellation is honoured between batches: nothing of an unscored batch is written, a scored one always is.
            cancellationToken.ThrowIfCancellationRequested();
            var rows = scorer.ScorePending();
            output.Append(rows);
            scored += rows.Count;
            Report();
        }

        while (input.TryNext(out var row, out var index, out var line))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = identity.Key(row) ?? throw MissingId(input.SourceName, line, row);
            if (!identity.InShard(index, key)) continue;
            if (!doneExhausted)
            {
                var done = output.NextDone();
                if (done is not null)
                {
                    var doneKey = identity.Key(done);
                    if (doneKey != key) throw Mismatch(output, alreadyDone, doneKey, key, line);
                    if (++alreadyDone % ProgressEveryResumedRows == 0) Report();
                    continue;
                }
                doneExhausted = true;
            }
            scorer.Add(row, line);
            if (scorer.PendingQueries >= o.BatchSize) WriteBatch();
        }
        if (scorer.PendingRows > 0) WriteBatch();
        if (!doneExhausted && output.NextDone() is not null)
            throw new DataFileException(output.DoneSourceName, output.DoneLineNumber,
                $"the existing output has more rows than {o.Shard} of the input ({alreadyDone}), so it was not written by this job.",
                "delete the output, set RelabelOptions.Resume = false, or choose another OutputPath.");
        cancellationToken.ThrowIfCancellationRequested();
        output.Complete(EmptySchema(input.DeclaredColumns), cancellationToken);
        skipped?.DeleteStaleFile();
        Report();

        return new RelabelSummary
        {
            InputPath = Path.GetFullPath(o.InputPath),
            OutputPath = Path.GetFullPath(o.OutputPath),
            Shard = o.Shard,
            InputRecords = input.RecordsRead,
            RowsAlreadyDone = alreadyDone,
            RowsScored = scored,
            QueriesScored = scorer.QueriesScored,
            SkippedCount = skipped?.Count ?? 0,
            SkippedRecords = skipped?.Records.ToArray() ?? Array.Empty<SkippedRecord>(),
            SkippedRecordsPath = skipped is { Count: > 0 } ? skipped.Path : null,
            TornBytesRemoved = output.TornBytesRemoved,
            Elapsed = clock.Elapsed,
        };
    }

    private void CheckDeclaredColumns(InputWalker input)
    {
        if (input.DeclaredColumns is not { } declared) return;
        var required = Options.Columns.RequiredColumns.Where(c => Options.Strict || c == Options.Columns.Prompt || c == Options.Columns.Response);
        var missing = required.Where(c => !declared.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new MissingColumnsException(input.SourceName, null, missing, Options.Columns.RequiredColumns, declared);
    }

    /// <summary>CSV output header: the input's columns (JSONL: every key, in order of first appearance) then the reward columns.</summary>
    private IReadOnlyList<string> OutputColumns(IReadOnlyList<string>? declared, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        if (declared is not null) columns.AddRange(declared);
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            using var scan = new InputWalker(Options, Options.SkipBadRecords);
            while (scan.TryNext(out var row, out _, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var name in row.ColumnNames)
                    if (seen.Add(name)) columns.Add(name);
            }
        }
        foreach (var reward in Options.Rewards)
            if (!columns.Contains(reward.ColumnName)) columns.Add(reward.ColumnName);
        return columns;
    }

    private long? ShardTotal(long records)
    {
        var shard = Options.Shard;
        if (shard.Count == 1) return records;
        if (Options.ShardAssignment == ShardAssignment.RowIndex) return Math.Max(0, (records - shard.Index + shard.Count - 1) / shard.Count);
        return null;
    }

    private RecordSchema EmptySchema(IReadOnlyList<string>? declared)
    {
        var names = (declared ?? Options.Columns.RequiredColumns).Where(n => Options.Rewards.All(r => r.ColumnName != n));
        return new RecordSchema(names.Select(n => new RecordColumn(n, ColumnKind.Text))
            .Concat(Options.Rewards.Select(r => new RecordColumn(r.ColumnName, ColumnKind.Number))));
    }

    private DataFileException MissingId(string input, long line, DataRow row)
    {
        var id = Options.Columns.Id!;
        if (!row.Contains(id))
            return new MissingColumnsException(input, line, new[] { id }, Options.Columns.RequiredColumns, row.ColumnNames);
        return new DataFileException(input, line, $"the id column '{id}' is null.",
            "give every row an id, set ColumnMap.Id = null to identify rows by content, or set RelabelOptions.Strict = false.");
    }

    private DataFileException Mismatch(RelabelOutput output, long doneSoFar, string? doneKey, string inputKey, long inputLine) =>
        new(output.DoneSourceName, output.DoneLineNumber,
            $"output row {doneSoFar + 1} is {Describe(doneKey)} but the matching input row (line {inputLine}) is {Describe(inputKey)}: the output was written by another job, from other input, or with other shard settings.",
            "delete the output, set RelabelOptions.Resume = false, or choose another OutputPath.");

    private static string Describe(string? key) => key switch
    {
        null => "a row without id",
        _ when key.StartsWith("id:", StringComparison.Ordinal) => $"id '{key[3..]}'",
        _ => $"content {key}",
    };
}
