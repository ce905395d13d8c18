using AlignedGen.Data;

namespace AlignedGen.Relabeling;

/// <summary>
/// Merges the outputs of a sharded relabel job back into the input's row order, so the result equals the output of one
/// unsharded run. Walks the input once, takes each row from the shard it was assigned to, and checks it is the same row.
/// </summary>
public static class ShardMerger
{
    /// <summary>
    /// Merges <paramref name="shardOutputPaths"/> (index i holds shard i of <c>shardOutputPaths.Count</c>, all run with
    /// <paramref name="job"/>'s input, columns, shard assignment and skip mode) into <paramref name="mergedPath"/>.
    /// Returns the number of rows written. Throws <see cref="DataFileException"/> when a shard is incomplete or foreign.
    /// </summary>
    public static long Merge(RelabelOptions job, IReadOnlyList<string> shardOutputPaths, string mergedPath, RecordFormat? mergedFormat = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate();
        ArgumentNullException.ThrowIfNull(shardOutputPaths);
        if (shardOutputPaths.Count == 0)
            throw new ArgumentException("No shard outputs given. Fix: pass the output path of every shard, shard 0 first.", nameof(shardOutputPaths));
        ArgumentException.ThrowIfNullOrEmpty(mergedPath);
        var merged = Path.GetFullPath(mergedPath);
        if (shardOutputPaths.Any(p => Path.GetFullPath(p) == merged))
            throw new ArgumentException($"mergedPath '{mergedPath}' is one of the shard outputs. Fix: merge into a new file.", nameof(mergedPath));
        var format = mergedFormat ?? RecordFiles.FormatFromPath(mergedPath);
        for (var s = 0; s < shardOutputPaths.Count; s++)
            if (File.Exists(RelabelOutput.CheckpointPath(Path.GetFullPath(shardOutputPaths[s]))))
                throw new DataFileException(shardOutputPaths[s], null, $"shard {s} has not finished (its checkpoint file still exists).",
                    $"re-run shard {s} of {shardOutputPaths.Count} to completion, then merge.");

        var writerOptions = WriterOptions(job, shardOutputPaths, format, cancellationToken);
        var temp = merged + ".tmp";
        long written;
        try
        {
            using (var writer = RecordFiles.CreateWriter(temp, format, writerOptions))
                written = MergeInto(writer, job, shardOutputPaths, cancellationToken);
            File.Move(temp, merged, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return written;
    }

    private static long MergeInto(IRecordWriter writer, RelabelOptions job, IReadOnlyList<string> shards, CancellationToken cancellationToken)
    {
        var identity = new RowIdentity(job);
        var readers = shards.Select(p => OpenShard(job, p)).ToArray();
        try
        {
            using var input = new InputWalker(job, job.SkipBadRecords);
            var batch = new List<DataRow>(job.ParquetRowGroupSize);
            while (input.TryNext(out var row, out var index, out var line))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = identity.Key(row) ?? throw new DataFileException(input.SourceName, line, $"the id column '{job.Columns.Id}' is missing or null.",
                    "merge with the options the shards were run with.");
                var s = identity.ShardOf(index, key, shards.Count);
                var shardRow = readers[s].Read() ?? throw new DataFileException(shards[s], null,
                    $"shard {s} ends before input line {line} ({Describe(key)}), which belongs to it.",
                    $"re-run shard {s} of {shards.Count} to completion (it resumes), then merge.");
                if (identity.Key(shardRow) != key)
                    throw new DataFileException(shards[s], readers[s].LineNumber,
                        $"this row of shard {s} is not input line {line} ({Describe(key)}): the shard was run with other input, columns or shard settings.",
                        "merge with the options the shards were run with, listing the shard outputs in shard order.");
                batch.Add(shardRow);
                if (batch.Count == job.ParquetRowGroupSize) { writer.Write(batch); batch.Clear(); }
            }
            if (batch.Count > 0) writer.Write(batch);
            for (var s = 0; s < readers.Length; s++)
                if (readers[s].Read() is not null)
                    throw new DataFileException(shards[s], readers[s].LineNumber, $"shard {s} has more rows than the input assigns to it.",
                        "merge with the options the shards were run with, listing the shard outputs in shard order.");
            writer.Flush(toDisk: true);
            return writer.RowsWritten;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private static RecordWriterOptions WriterOptions(RelabelOptions job, IReadOnlyList<string> shards, RecordFormat format, CancellationToken cancellationToken)
    {
        if (format == RecordFormat.Jsonl) return RecordWriterOptions.Default;
        // CSV needs every column for its header, Parquet a schema that fits every row: one pass over the shards.
        var builder = new RecordSchemaBuilder();
        foreach (var path in shards)
        {
            using var reader = OpenShard(job, path);
            for (var row = reader.Read(); row is not null; row = reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                builder.Observe(row);
            }
        }
        if (builder.IsEmpty) return RecordWriterOptions.Default;
        var schema = builder.Build();
        return new RecordWriterOptions
        {
            Columns = schema.Columns.Select(c => c.Name).ToArray(),
            Schema = schema,
            Delimiter = job.OutputDelimiter,
        };
    }

    private static IRecordReader OpenShard(RelabelOptions job, string path) =>
        RecordFiles.OpenReader(path, job.OutputFormat ?? RecordFiles.FormatFromPath(path), new RecordReaderOptions { Delimiter = job.OutputDelimiter });

    private static string Describe(string key) => key.StartsWith("id:", StringComparison.Ordinal) ? $"id '{key[3..]}'" : $"content {key}";
}
