using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// A resumable job's output. Work in progress is a durable, append-only JSONL checkpoint
/// (<c>&lt;output&gt;.checkpoint.jsonl</c>, flushed and fsync'd per batch); the output itself appears only when the run
/// completes (the checkpoint renamed into place, or converted to CSV/Parquet through a temporary file), beside a manifest
/// (<c>&lt;output&gt;.manifest.json</c>) saying which job wrote it. While a checkpoint exists it is the truth; an output is
/// never adopted by a job whose identity differs, nor by a forced restart. One job per output (<c>&lt;output&gt;.lock</c>).
/// </summary>
internal sealed class JobOutput : IDisposable
{
    private const string CheckpointSuffix = ".checkpoint.jsonl";
    private const string LockSuffix = ".lock";

    private enum Mode { Fresh, ResumeCheckpoint, Finished }

    private readonly DatasetJobSpec _spec;
    private readonly string _path;
    private readonly string _checkpointPath;
    private readonly string _lockPath;
    private readonly FileStream _lock;
    private readonly JobManifest? _manifest;
    private Mode _mode;
    private FileStream? _checkpoint;
    private IRecordReader? _done;
    private IRecordWriter? _writer;
    private bool _appended;

    private JobOutput(DatasetJobSpec spec, string path, FileStream lockFile, JobManifest? manifest)
    {
        _spec = spec;
        _path = path;
        _checkpointPath = CheckpointPath(path);
        _lockPath = path + LockSuffix;
        _lock = lockFile;
        _manifest = manifest;
    }

    /// <summary>The checkpoint a run in progress writes.</summary>
    internal static string CheckpointPath(string outputPath) => Path.GetFullPath(outputPath) + CheckpointSuffix;

    /// <summary>True when anything of a job's output exists: the output, its checkpoint or its manifest.</summary>
    internal static bool AnyExists(string outputPath)
    {
        var full = Path.GetFullPath(outputPath);
        return File.Exists(full) || File.Exists(CheckpointPath(full)) || File.Exists(JobManifest.PathFor(full));
    }

    /// <summary>&lt;output&gt;.errors.jsonl: the failed rows of the output, {row, id, error} (see <see cref="DatasetJobSpec.RowError"/>).</summary>
    internal static string FailedRowsPath(string outputPath) => Path.GetFullPath(outputPath) + ".errors.jsonl";

    /// <summary>Failed rows in the completed output (0 when the spec has no <see cref="DatasetJobSpec.RowError"/>, or nothing was rewritten).</summary>
    internal long FailedRows { get; private set; }

    /// <summary>Bytes of a torn last record removed from the checkpoint.</summary>
    internal long TornBytesRemoved { get; private set; }

    /// <summary>Rows of a finished output this run extends (0 otherwise): the first rows of the shard, checked by fingerprint.</summary>
    internal long FinishedRows => _mode == Mode.Finished ? _manifest!.RowsDone ?? 0 : 0;

    /// <summary>
    /// Checks the output path (not a folder, not the input), takes the job's lock, removes temporary files left by a killed
    /// run and decides how to go on: afresh, from the checkpoint, or after a finished output. Refuses (changing nothing)
    /// an output written by another job or without a manifest. Call <see cref="Prepare"/> next.
    /// </summary>
    internal static JobOutput Open(DatasetJobSpec spec)
    {
        var path = OutputFile.Check(spec.OutputPath, new[] { spec.InputPath });
        OutputFile.Check(CheckpointPath(path), new[] { spec.InputPath });
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            lockFile = new FileStream(path + LockSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, $"cannot be written ({ex.Message}).",
                "choose an output path in a folder you can write to; if another job is writing this output, give each job (shard) its own output.", ex);
        }
        try
        {
            OutputFile.RemoveLeftoverTemp(path);
            OutputFile.RemoveLeftoverTemp(JobManifest.PathFor(path));
            var output = new JobOutput(spec, path, lockFile, spec.Resume ? JobManifest.Read(path) : null);
            output._mode = output.Decide();
            return output;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private Mode Decide()
    {
        if (!_spec.Resume) return Mode.Fresh;
        var hasCheckpoint = File.Exists(_checkpointPath);
        var hasOutput = File.Exists(_path);
        if (_manifest is null)
        {
            if (!hasCheckpoint && !hasOutput) return Mode.Fresh;
            throw new JobMismatchException(hasCheckpoint ? _checkpointPath : _path, null,
                $"the {(hasCheckpoint ? "unfinished run's checkpoint" : "output")} exists but has no manifest ({JobManifest.PathFor(_path)}), so nothing tells which job wrote it (an older AlignedGen, or another tool).",
                Array.Empty<string>(), $"write to a new output, or {_spec.RestartHint} to replace it.");
        }
        var differences = new List<string>();
        if (_manifest.Kind != _spec.Kind) differences.Add($"kind was {_manifest.Kind}, now {_spec.Kind}");
        differences.AddRange(JobManifest.Differences(_manifest.Identity, _spec.Identity));
        if (differences.Count > 0)
            throw new JobMismatchException(_path, null,
                $"this job differs from the one that wrote the output (see {Path.GetFileName(JobManifest.PathFor(_path))}): {string.Join("; ", differences.Take(8))}{(differences.Count > 8 ? $"; and {differences.Count - 8} more" : "")}.",
                differences, $"write to a new output, or {_spec.RestartHint} to discard it and start again.");
        if (hasCheckpoint) return Mode.ResumeCheckpoint;
        if (_manifest.State != JobManifest.Complete || !hasOutput) return Mode.Fresh;
        var rows = RecordFiles.CountRecords(_path, _spec.OutputFormat, new RecordReaderOptions { Delimiter = _spec.OutputDelimiter });
        if (rows != _manifest.RowsDone)
            throw new JobMismatchException(_path, null,
                $"the output holds {rows} row(s) but its manifest says the job wrote {_manifest.RowsDone}: it was changed after the job finished.",
                new[] { $"rows_done was {_manifest.RowsDone}, now {rows}" }, $"restore the output, write to a new output, or {_spec.RestartHint} to process every row again.");
        return Mode.Finished;
    }

    /// <summary>Starts the run: afresh (manifest written, checkpoint emptied) or from the checkpoint (torn tail removed, done rows offered by <see cref="NextCheckpointRow"/>).</summary>
    internal void Prepare()
    {
        switch (_mode)
        {
            case Mode.Fresh:
                WriteManifest(JobManifest.Running, null, null);
                _checkpoint = OpenCheckpoint(FileMode.Create);
                _checkpoint.Flush(flushToDisk: _spec.SyncToDisk);
                break;
            case Mode.ResumeCheckpoint:
                _checkpoint = OpenCheckpoint(FileMode.Open);
                var complete = RecordCounter.CompletePrefixLength(_checkpoint, RecordFormat.Jsonl);
                if (complete < _checkpoint.Length)
                {
                    TornBytesRemoved = _checkpoint.Length - complete;
                    _checkpoint.SetLength(complete);
                    _checkpoint.Flush(flushToDisk: true);
                }
                _checkpoint.Position = 0;
                _done = new JsonlRecordReader(_checkpoint, _checkpointPath, leaveOpen: true);
                break;
        }
    }

    /// <summary>The next row the checkpoint already holds, in order; null once all are seen (or without a checkpoint).</summary>
    internal DataRow? NextCheckpointRow()
    {
        if (_done is null) return null;
        DataRow? row;
        try
        {
            row = _done.Read();
        }
        catch (CorruptRecordException ex)
        {
            throw new DataFileException(_checkpointPath, ex.LineNumber, $"the checkpoint has a corrupt record ({ex.Problem}), so the run cannot be resumed.",
                $"{_spec.RestartHint} to start again.", ex);
        }
        if (row is null)
        {
            _done.Dispose();
            _done = null;
        }
        return row;
    }

    /// <summary>Line of the checkpoint row last returned, for errors.</summary>
    internal long DoneLineNumber => _done?.LineNumber ?? 0;

    internal string CheckpointName => _checkpointPath;

    /// <summary>Checks the fingerprint of the first <see cref="FinishedRows"/> input rows against the finished output's manifest.</summary>
    internal void VerifyFinishedPrefix(string fingerprint, long inputLine)
    {
        if (fingerprint == _manifest!.InputFingerprint) return;
        throw new JobMismatchException(_spec.InputPath, null,
            $"an input row among the first {FinishedRows} of {_spec.Shard} (up to line {inputLine}) has changed since the output {_path} was written (their fingerprint differs), so the output no longer matches its input.",
            new[] { $"input_fingerprint was {_manifest.InputFingerprint}, now {fingerprint}" },
            $"restore the input, write to a new output, or {_spec.RestartHint} to process every row again.");
    }

    /// <summary>Appends processed rows to the checkpoint and makes them durable (flush; fsync with SyncToDisk) before returning.</summary>
    internal void Append(IReadOnlyList<DataRow> rows)
    {
        if (_done is not null) throw new InvalidOperationException("Rows already in the checkpoint must all be read before appending.");
        if (_mode == Mode.Finished && _checkpoint is null) StartExtension();
        _writer ??= new JsonlRecordWriter(SeekEnd(_checkpoint!), _checkpointPath, leaveOpen: true);
        _writer.Write(rows);
        _writer.Flush(toDisk: _spec.SyncToDisk);
        _appended = true;
    }

    /// <summary>A finished output gets new rows: it goes back to running, its rows are copied into a new checkpoint, then the new rows follow.</summary>
    private void StartExtension()
    {
        WriteManifest(JobManifest.Running, null, null);
        _checkpoint = OpenCheckpoint(FileMode.Create);
        long copied = 0;
        if (_spec.OutputFormat == RecordFormat.Jsonl)
        {
            using var finished = RecordFiles.OpenRead(_path);
            finished.CopyTo(_checkpoint);
            _checkpoint.Position = 0;
            copied = RecordCounter.Count(_checkpoint, RecordFormat.Jsonl, null, CancellationToken.None);
        }
        else
        {
            using var finished = RecordFiles.OpenReader(_path, _spec.OutputFormat, new RecordReaderOptions { Delimiter = _spec.OutputDelimiter });
            using var copy = new JsonlRecordWriter(SeekEnd(_checkpoint), _checkpointPath, leaveOpen: true);
            var chunk = new List<DataRow>(1000);
            for (var row = finished.Read(); row is not null; row = finished.Read())
            {
                chunk.Add(row);
                if (chunk.Count == 1000) { copy.Write(chunk); chunk.Clear(); }
            }
            copy.Write(chunk);
            copied = copy.RowsWritten;
        }
        _checkpoint.Flush(flushToDisk: true);
        if (copied != FinishedRows)
            throw new DataFileException(_path, null, $"the output holds {copied} rows but its manifest says {FinishedRows}: it was changed after the job finished.",
                $"write to a new output, or {_spec.RestartHint} to process every row again.");
    }

    /// <summary>
    /// Finishes a completed run: unless a finished output had nothing to add, the output is written from the checkpoint
    /// (JSONL: renamed; CSV/TSV with <paramref name="csvColumns"/> as header, Parquet with a schema inferred from every
    /// row, <paramref name="emptySchema"/> when there are none: through a temporary file), the manifest marked complete
    /// with the rows' fingerprint, the output moved into place and the checkpoint deleted, in that order.
    /// </summary>
    internal void Complete(long rowsDone, string fingerprint, IReadOnlyList<string> csvColumns, RecordSchema emptySchema, CancellationToken cancellationToken)
    {
        if (_mode == Mode.Finished && !_appended)
        {
            var failedRows = FailedRowsPath(_path);
            if (_spec.RowError is not null && File.Exists(failedRows)) FailedRows = RecordFiles.CountRecords(failedRows, RecordFormat.Jsonl);
            return;
        }
        _writer?.Dispose();
        _writer = null;
        _checkpoint!.Flush(flushToDisk: true);
        using var failed = _spec.RowError is null ? null : new FailedRowLog(FailedRowsPath(_path), _spec.IdColumn, _spec.RowError);
        if (_spec.OutputFormat == RecordFormat.Jsonl)
        {
            if (failed is not null) ForEachCheckpointRow(failed.Observe, cancellationToken);
            FailedRows = failed?.Commit() ?? 0;
            _checkpoint.Dispose();
            WriteManifest(JobManifest.Complete, rowsDone, fingerprint);
            OutputFile.MoveIntoPlace(_checkpointPath, _path);
            return;
        }
        using (var file = OutputFile.Create(_path))
        {
            using (var writer = WriterFor(file.Stream, csvColumns, emptySchema, cancellationToken))
            {
                var group = new List<DataRow>(_spec.ParquetRowGroupSize);
                ForEachCheckpointRow(row =>
                {
                    failed?.Observe(row);
                    group.Add(row);
                    if (group.Count == _spec.ParquetRowGroupSize) { writer.Write(group); group.Clear(); }
                }, cancellationToken);
                if (group.Count > 0 || writer.RowsWritten == 0) writer.Write(group);
            }
            FailedRows = failed?.Commit() ?? 0;
            WriteManifest(JobManifest.Complete, rowsDone, fingerprint);
            file.Commit();
        }
        _checkpoint.Dispose();
        File.Delete(_checkpointPath);
    }

    private IRecordWriter WriterFor(Stream stream, IReadOnlyList<string> csvColumns, RecordSchema emptySchema, CancellationToken cancellationToken)
    {
        if (_spec.OutputFormat != RecordFormat.Parquet)
            return new CsvRecordWriter(stream, _path, _spec.OutputFormat, new RecordWriterOptions { Columns = csvColumns, Delimiter = _spec.OutputDelimiter }, leaveOpen: true);
        var builder = new RecordSchemaBuilder();
        ForEachCheckpointRow(builder.Observe, cancellationToken);
        return new ParquetRecordWriter(stream, _path, new RecordWriterOptions { Schema = builder.IsEmpty ? emptySchema : builder.Build() }, leaveOpen: true);
    }

    private void ForEachCheckpointRow(Action<DataRow> action, CancellationToken cancellationToken)
    {
        _checkpoint!.Position = 0;
        using var reader = new JsonlRecordReader(_checkpoint, _checkpointPath, leaveOpen: true);
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            action(row);
        }
    }

    private void WriteManifest(string state, long? rows, string? fingerprint) =>
        new JobManifest
        {
            Kind = _spec.Kind,
            State = state,
            Identity = _spec.Identity,
            Settings = _spec.Settings,
            RowsDone = rows,
            InputFingerprint = fingerprint,
        }.Write(_path, _spec.SyncToDisk);

    private FileStream OpenCheckpoint(FileMode mode)
    {
        try
        {
            return new FileStream(_checkpointPath, mode, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(_checkpointPath, null, $"cannot be written ({ex.Message}).", "choose an output path in a folder you can write to.", ex);
        }
    }

    private static FileStream SeekEnd(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _done?.Dispose();
        _checkpoint?.Dispose();
        try
        {
            File.Delete(_lockPath);
        }
        catch (IOException)
        {
        }
        _lock.Dispose();
    }
}
