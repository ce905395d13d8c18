using System.Diagnostics;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// The run loop every resumable dataset job shares. Walks the input in order; rows of other shards are passed over; rows
/// already done (in the checkpoint, or in a finished output being extended) are checked against the input — same row,
/// same content, or the same fingerprint — and skipped; the rest go to the job's <see cref="IRowBatchProcessor"/> in
/// batches, each appended durably to the checkpoint before the next is processed. Cancellation is honoured between
/// batches. Constant memory: no set of done rows is kept.
/// </summary>
internal static class DatasetJobEngine
{
    private const int ProgressEveryResumedRows = 10_000;

    /// <summary>The side file listing skipped corrupt records: &lt;output&gt;.skipped.jsonl.</summary>
    internal static string SkippedRecordsPath(string outputPath) => Path.GetFullPath(outputPath) + ".skipped.jsonl";

    internal static JobRunResult Run(DatasetJobSpec spec, IRowBatchProcessor processor, bool countTotalRows, Action<JobRunProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        cancellationToken.ThrowIfCancellationRequested();
        using var skipped = spec.SkipBadRecords ? new SkippedRecordLog(SkippedRecordsPath(spec.OutputPath)) : null;
        using var input = new JobInput(spec, spec.SkipBadRecords, skipped);
        CheckDeclaredColumns(spec, input);
        using var output = JobOutput.Open(spec);
        var total = countTotalRows ? ShardTotal(spec, RecordFiles.CountRecords(spec.InputPath, spec.InputFormat, spec.ReaderOptions, cancellationToken)) : null;
        output.Prepare();
        var identity = new RowIdentity(spec);
        var content = new RowContent(spec.OutputColumns);
        var columns = new ColumnUnion(input.DeclaredColumns);
        long alreadyDone = 0, processed = 0;
        var finishedLeft = output.FinishedRows;
        var checkpointExhausted = false;

        void Report() => progress?.Invoke(new JobRunProgress(alreadyDone + processed, total, processed, skipped?.Count ?? 0, clock.Elapsed));

        void WriteBatch()
        {
            // Cancellation is honoured between batches: nothing of an unprocessed batch is written, a processed one always is.
            cancellationToken.ThrowIfCancellationRequested();
            var rows = processor.ProcessPending();
            output.Append(rows);
            processed += rows.Count;
            Report();
        }

        while (input.TryNext(out var row, out var index, out var line))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = identity.Key(row) ?? throw MissingId(spec, input.SourceName, line, row);
            columns.Observe(row); // every row, so that every shard's CSV header is the same
            if (!identity.InShard(index, key)) continue;
            content.Add(row);
            if (finishedLeft > 0)
            {
                if (--finishedLeft == 0) output.VerifyFinishedPrefix(content.Fingerprint(), line);
                if (++alreadyDone % ProgressEveryResumedRows == 0) Report();
                continue;
            }
            if (!checkpointExhausted)
            {
                var done = output.NextCheckpointRow();
                if (done is not null)
                {
                    CheckDone(spec, output, identity, content, row, done, key, line, alreadyDone);
                    if (++alreadyDone % ProgressEveryResumedRows == 0) Report();
                    continue;
                }
                checkpointExhausted = true;
            }
            processor.Add(row, line, key);
            if (processor.IsFull) WriteBatch();
        }
        if (processor.PendingRows > 0) WriteBatch();
        if (finishedLeft > 0)
            throw new JobMismatchException(spec.InputPath, null,
                $"{spec.Shard} of the input has {alreadyDone} row(s) but the finished output was written from {output.FinishedRows}: rows were removed from the input.",
                new[] { $"rows_done was {output.FinishedRows}, now {alreadyDone}" }, $"restore the input, write to a new output, or {spec.RestartHint}.");
        if (!checkpointExhausted && output.NextCheckpointRow() is not null)
            throw new JobMismatchException(output.CheckpointName, output.DoneLineNumber,
                $"the checkpoint has more rows than {spec.Shard} of the input ({alreadyDone}), so it was not written from this input.",
                Array.Empty<string>(), $"restore the input, write to a new output, or {spec.RestartHint}.");
        cancellationToken.ThrowIfCancellationRequested();
        output.Complete(alreadyDone + processed, content.Fingerprint(), columns.Header(spec.OutputColumns), EmptySchema(spec, input.DeclaredColumns), cancellationToken);
        skipped?.DeleteStaleFile();
        Report();
        return new JobRunResult
        {
            InputRecords = input.RecordsRead,
            RowsAlreadyDone = alreadyDone,
            RowsProcessed = processed,
            SkippedCount = skipped?.Count ?? 0,
            SkippedRecords = skipped?.Records.ToArray() ?? Array.Empty<SkippedRecord>(),
            SkippedRecordsPath = skipped is { Count: > 0 } ? skipped.Path : null,
            TornBytesRemoved = output.TornBytesRemoved,
            FailedRows = output.FailedRows,
            FailedRowsPath = output.FailedRows > 0 ? JobOutput.FailedRowsPath(spec.OutputPath) : null,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>A row already done must be the same row (id, or content hash) with the same content as the input row now.</summary>
    private static void CheckDone(DatasetJobSpec spec, JobOutput output, RowIdentity identity, RowContent content, DataRow row, DataRow done, string key,
        long line, long doneSoFar)
    {
        var doneKey = identity.Key(done);
        if (doneKey != key)
            throw new JobMismatchException(output.CheckpointName, output.DoneLineNumber,
                $"checkpoint row {doneSoFar + 1} is {RowIdentity.Describe(doneKey)} but the matching input row (line {line}) is {RowIdentity.Describe(key)}: the checkpoint was written from other input or with other shard settings.",
                Array.Empty<string>(), $"restore the input, write to a new output, or {spec.RestartHint}.");
        if (content.FirstDifference(row, done) is { } difference)
            throw new JobMismatchException(spec.InputPath, line,
                $"input row {RowIdentity.Describe(key)} was edited after it was processed: {difference} (checkpoint line {output.DoneLineNumber}).",
                new[] { difference }, $"restore the input, write to a new output, or {spec.RestartHint} to process every row again.");
    }

    private static void CheckDeclaredColumns(DatasetJobSpec spec, JobInput input)
    {
        if (input.DeclaredColumns is not { } declared) return;
        var missing = spec.RequiredColumns.Where(c => !declared.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new MissingColumnsException(input.SourceName, null, missing, spec.RequiredColumns, declared);
    }

    private static long? ShardTotal(DatasetJobSpec spec, long records)
    {
        var shard = spec.Shard;
        if (shard.Count == 1) return records;
        if (spec.ShardAssignment == ShardAssignment.RowIndex) return Math.Max(0, (records - shard.Index + shard.Count - 1) / shard.Count);
        return null;
    }

    /// <summary>The Parquet schema of an output with no rows: the input's columns as text, then the job's columns as numbers.</summary>
    private static RecordSchema EmptySchema(DatasetJobSpec spec, IReadOnlyList<string>? declared)
    {
        var names = (declared ?? spec.RequiredColumns).Where(n => !spec.OutputColumns.Contains(n));
        return new RecordSchema(names.Select(n => new RecordColumn(n, ColumnKind.Text))
            .Concat(spec.OutputColumns.Select(c => new RecordColumn(c, ColumnKind.Number))));
    }

    private static DataFileException MissingId(DatasetJobSpec spec, string input, long line, DataRow row)
    {
        var id = spec.IdColumn!;
        if (!row.Contains(id))
            return new MissingColumnsException(input, line, new[] { id }, spec.RequiredColumns, row.ColumnNames);
        return new DataFileException(input, line, $"the id column '{id}' is null.",
            "give every row an id, identify rows by content (no id column), or turn strict mode off.");
    }

    /// <summary>The CSV header of the output: the input's columns (declared, or every key in order of first appearance), then the job's columns.</summary>
    private sealed class ColumnUnion(IReadOnlyList<string>? declared)
    {
        private readonly List<string> _order = declared?.ToList() ?? new List<string>();
        private readonly HashSet<string> _seen = new(declared ?? Array.Empty<string>(), StringComparer.Ordinal);

        public void Observe(DataRow row)
        {
            if (declared is not null) return;
            foreach (var name in row.ColumnNames)
                if (_seen.Add(name)) _order.Add(name);
        }

        public IReadOnlyList<string> Header(IReadOnlyList<string> outputColumns) => _order.Concat(outputColumns.Where(c => !_seen.Contains(c))).ToArray();
    }
}
