using System.Text.Json.Nodes;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// Merges the outputs of a sharded dataset job (relabeling or generation) back into input order, so the result equals one
/// unsharded run's output. Everything it needs comes from the shards' manifests. Before writing anything it checks that
/// the shards are complete: every shard of the job is listed, in order, each finished (complete manifest, no checkpoint)
/// and written by the same job (same identity but for the shard). Then it walks the input once, takes each row from the
/// shard it belongs to and checks it is that row (no gap, no overlap, no foreign row), checks each shard's input rows
/// against the fingerprint in its manifest, and writes the result atomically.
/// </summary>
public static class DatasetShards
{
    /// <summary>
    /// Merges <paramref name="shardOutputPaths"/> (index i holds shard i of <c>shardOutputPaths.Count</c>) into
    /// <paramref name="mergedPath"/>; <paramref name="inputPath"/> null means the input the shards recorded. Returns the
    /// rows written. Throws <see cref="DataFileException"/> naming the shard at fault and the fix; nothing is written then.
    /// </summary>
    public static long Merge(IReadOnlyList<string> shardOutputPaths, string mergedPath, string? inputPath = null, RecordFormat? mergedFormat = null,
        CancellationToken cancellationToken = default) =>
        Merge(shardOutputPaths, mergedPath, inputPath, mergedFormat, expectedIdentity: null, cancellationToken);

    internal static long Merge(IReadOnlyList<string> shardOutputPaths, string mergedPath, string? inputPath, RecordFormat? mergedFormat,
        JsonObject? expectedIdentity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shardOutputPaths);
        if (shardOutputPaths.Count == 0)
            throw new ArgumentException("No shard outputs given. Fix: pass the output path of every shard, shard 0 first.", nameof(shardOutputPaths));
        ArgumentException.ThrowIfNullOrWhiteSpace(mergedPath);
        var manifests = CheckShards(shardOutputPaths, expectedIdentity);
        var input = inputPath ?? (string?)manifests[0].Settings["input_path"]
            ?? throw new ArgumentException("The shards' manifests do not record their input. Fix: pass the input path.", nameof(inputPath));
        var spec = DatasetIdentity.FromManifest(manifests[0], input, mergedPath);
        var format = mergedFormat ?? RecordFiles.FormatFromPath(mergedPath);
        var writerOptions = WriterOptions(spec, shardOutputPaths, format, cancellationToken);
        using var writer = RecordFiles.CreateAtomicWriter(mergedPath, format, writerOptions, shardOutputPaths.Append(input));
        MergeInto(writer, spec, shardOutputPaths, manifests, cancellationToken);
        writer.Commit();
        return writer.RowsWritten;
    }

    /// <summary>Every shard listed once, in order, finished, and written by the same job.</summary>
    private static JobManifest[] CheckShards(IReadOnlyList<string> shards, JsonObject? expectedIdentity)
    {
        var n = shards.Count;
        var manifests = new JobManifest[n];
        for (var s = 0; s < n; s++)
        {
            var path = Path.GetFullPath(shards[s]);
            if (File.Exists(JobOutput.CheckpointPath(path)))
                throw new DataFileException(shards[s], null, $"shard {s} has not finished (its checkpoint file still exists).",
                    $"re-run shard {s} of {n} to completion (it resumes), then merge.");
            var manifest = JobManifest.Read(path) ?? throw new DataFileException(shards[s], null,
                $"shard {s} has no manifest ({Path.GetFileName(JobManifest.PathFor(path))}), so it cannot be checked.",
                $"re-run shard {s} of {n} with this version of AlignedGen, then merge.");
            if (manifest.State != JobManifest.Complete || !File.Exists(path))
                throw new DataFileException(shards[s], null, $"shard {s} has not finished.", $"re-run shard {s} of {n} to completion, then merge.");
            var shard = DatasetIdentity.ShardOf(manifest.Identity);
            if (shard is null || shard.Count != n)
                throw new DataFileException(shards[s], null,
                    $"this output was written as {shard?.ToString() ?? "an unsharded run"}, but {n} shard output(s) were given.",
                    $"list the output of every shard of the job ({shard?.Count ?? 1} in all), shard 0 first.");
            if (shard.Index != s)
                throw new DataFileException(shards[s], null, $"the output listed as shard {s} holds {shard} (per its manifest).",
                    "list the shard outputs in shard order, shard 0 first.");
            manifests[s] = manifest;
            var reference = s == 0 ? expectedIdentity : manifests[0].Identity;
            if (reference is null) continue;
            var differences = JobManifest.Differences(DatasetIdentity.WithoutShard(reference), DatasetIdentity.WithoutShard(manifest.Identity));
            if (manifest.Kind != manifests[0].Kind) differences = differences.Prepend($"kind was {manifests[0].Kind}, now {manifest.Kind}").ToArray();
            if (differences.Count > 0)
                throw new JobMismatchException(shards[s], null,
                    $"shard {s} was written by a different job than {(s == 0 ? "the one given" : "shard 0")}: {string.Join("; ", differences.Take(8))}.",
                    differences, $"re-run shard {s} with the same settings as the other shards, then merge.");
        }
        return manifests;
    }

    private static void MergeInto(IRecordWriter writer, DatasetJobSpec spec, IReadOnlyList<string> shards, JobManifest[] manifests, CancellationToken cancellationToken)
    {
        var n = shards.Count;
        var identity = new RowIdentity(spec);
        var fingerprints = shards.Select(_ => new RowContent(spec.OutputColumns)).ToArray();
        var readers = shards.Select(p => OpenShard(spec, p)).ToArray();
        try
        {
            using var input = new JobInput(spec, spec.SkipBadRecords);
            var batch = new List<DataRow>(spec.ParquetRowGroupSize);
            while (input.TryNext(out var row, out var index, out var line))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = identity.Key(row) ?? throw new DataFileException(input.SourceName, line, $"the id column '{spec.IdColumn}' is missing or null.",
                    "merge the shards against the input they were run on.");
                var s = identity.ShardOf(index, key, n);
                var shardRow = readers[s].Read() ?? throw new DataFileException(shards[s], null,
                    $"shard {s} ends before input line {line} ({RowIdentity.Describe(key)}), which belongs to it.",
                    $"re-run shard {s} of {n} to completion (it resumes), then merge.");
                if (identity.Key(shardRow) != key)
                    throw new DataFileException(shards[s], readers[s].LineNumber,
                        $"this row of shard {s} is not input line {line} ({RowIdentity.Describe(key)}): the shard was run on other input.",
                        "merge the shards against the input they were run on.");
                fingerprints[s].Add(row);
                batch.Add(shardRow);
                if (batch.Count == spec.ParquetRowGroupSize) { writer.Write(batch); batch.Clear(); }
            }
            if (batch.Count > 0) writer.Write(batch);
            for (var s = 0; s < n; s++)
            {
                if (readers[s].Read() is not null)
                    throw new DataFileException(shards[s], readers[s].LineNumber, $"shard {s} has more rows than the input assigns to it.",
                        "merge the shards against the input they were run on.");
                if (fingerprints[s].Rows != manifests[s].RowsDone || fingerprints[s].Fingerprint() != manifests[s].InputFingerprint)
                    throw new JobMismatchException(spec.InputPath, null,
                        $"the input rows of shard {s} differ from those it was run on (fingerprint or row count differs): the input changed after the shard ran.",
                        new[] { $"shard {s} input_fingerprint was {manifests[s].InputFingerprint}, now {fingerprints[s].Fingerprint()}" },
                        $"restore the input, or re-run shard {s} of {n} (restart it), then merge.");
            }
            writer.Flush(toDisk: true);
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private static RecordWriterOptions WriterOptions(DatasetJobSpec spec, IReadOnlyList<string> shards, RecordFormat format, CancellationToken cancellationToken)
    {
        if (format == RecordFormat.Jsonl) return RecordWriterOptions.Default;
        // CSV needs every column for its header, Parquet a schema that fits every row: one pass over the shards.
        var builder = new RecordSchemaBuilder();
        foreach (var path in shards)
        {
            using var reader = OpenShard(spec, path);
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
            Delimiter = spec.OutputDelimiter,
        };
    }

    private static IRecordReader OpenShard(DatasetJobSpec spec, string path) =>
        RecordFiles.OpenReader(path, spec.OutputFormat, new RecordReaderOptions { Delimiter = spec.OutputDelimiter });
}
