using AlignedGen.Data;

namespace AlignedGen.Relabeling;

/// <summary>
/// The job's output file, durable and resumable. JSONL/CSV outputs are appended in place; a Parquet output is built from a
/// JSONL checkpoint (<c>&lt;output&gt;.checkpoint.jsonl</c>) converted when the run completes. On open: the file is locked
/// (one job per output), a torn last record is truncated, and the rows already there are offered back (<see cref="NextDone"/>)
/// so the job can check them against the input and skip them.
/// </summary>
internal sealed class RelabelOutput : IDisposable
{
    private readonly RelabelOptions _options;
    private readonly RecordFormat _finalFormat;
    private readonly RecordFormat _writeFormat;
    private readonly string _finalPath;
    private readonly string _writePath;
    private IReadOnlyList<string>? _csvColumns;
    private readonly FileStream _file;
    private IRecordReader? _done;
    private bool _doneFromFinalParquet;
    private IRecordWriter? _writer;

    private RelabelOutput(RelabelOptions options, string finalPath, string writePath, FileStream file)
    {
        _options = options;
        _finalFormat = options.ResolvedOutputFormat;
        _writeFormat = _finalFormat == RecordFormat.Parquet ? RecordFormat.Jsonl : _finalFormat;
        _finalPath = finalPath;
        _writePath = writePath;
        _file = file;
    }

    /// <summary>Bytes of a torn last record removed on open.</summary>
    internal long TornBytesRemoved { get; private set; }

    /// <summary>The checkpoint path a Parquet output is built from.</summary>
    internal static string CheckpointPath(string outputPath) => outputPath + ".checkpoint.jsonl";

    /// <summary>
    /// Opens (creating the folder if needed) and locks the output, changing nothing in it yet; fails with a clear error
    /// when it cannot be written. Call <see cref="Prepare"/> next.
    /// </summary>
    internal static RelabelOutput Open(RelabelOptions options)
    {
        var finalPath = Path.GetFullPath(options.OutputPath);
        var parquet = options.ResolvedOutputFormat == RecordFormat.Parquet;
        var writePath = parquet ? CheckpointPath(finalPath) : finalPath;
        if (Directory.Exists(finalPath))
            throw new DataFileException(finalPath, null, "is a folder, not a file.", "give a file path for the output, e.g. scored.jsonl.");
        FileStream file;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            if (parquet && File.Exists(finalPath))
                using (new FileStream(finalPath, FileMode.Open, FileAccess.Write, FileShare.Read)) { }
            file = new FileStream(writePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(finalPath, null, $"cannot be written ({ex.Message}).",
                "choose an output path in a folder you can write to; if another relabel job is writing this file, give each job (shard) its own output.", ex);
        }
        return new RelabelOutput(options, finalPath, writePath, file);
    }

    /// <summary>
    /// Starts afresh (no resume) or truncates a torn last record and opens the rows already there for <see cref="NextDone"/>.
    /// <paramref name="csvColumns"/> is the CSV/TSV header this job writes (an existing header must equal it).
    /// </summary>
    internal void Prepare(IReadOnlyList<string>? csvColumns)
    {
        _csvColumns = csvColumns;
        if (!_options.Resume)
        {
            _file.SetLength(0);
            _file.Flush(flushToDisk: true);
            return;
        }
        var complete = RecordCounter.CompletePrefixLength(_file, _writeFormat);
        if (complete < _file.Length)
        {
            TornBytesRemoved = _file.Length - complete;
            _file.SetLength(complete);
            _file.Flush(flushToDisk: true);
        }
        if (_file.Length > 0)
        {
            _file.Position = 0;
            _done = _writeFormat == RecordFormat.Jsonl
                ? new JsonlRecordReader(_file, _writePath, leaveOpen: true)
                : new CsvRecordReader(_file, _writePath, _writeFormat, new RecordReaderOptions { Delimiter = _options.OutputDelimiter }, leaveOpen: true);
            if (_csvColumns is not null && !_done.DeclaredColumns!.SequenceEqual(_csvColumns))
                throw new DataFileException(_writePath, 1,
                    $"the existing output's header ({string.Join(", ", _done.DeclaredColumns!)}) differs from this job's columns ({string.Join(", ", _csvColumns)}), so it cannot be resumed.",
                    "delete the output, set RelabelOptions.Resume = false, or choose another OutputPath.");
        }
        else if (_finalFormat == RecordFormat.Parquet && File.Exists(_finalPath))
        {
            _done = new ParquetRecordReader(RecordFiles.OpenRead(_finalPath), _finalPath);
            _doneFromFinalParquet = true;
        }
    }

    /// <summary>The next row already in the output, in order; null once they are all seen.</summary>
    internal DataRow? NextDone()
    {
        if (_done is null) return null;
        DataRow? row;
        try
        {
            row = _done.Read();
        }
        catch (CorruptRecordException ex)
        {
            throw new DataFileException(_done.SourceName, ex.LineNumber, $"the existing output has a corrupt record ({ex.Problem}), so it cannot be resumed.",
                "delete the output or set RelabelOptions.Resume = false.", ex);
        }
        if (row is null)
        {
            _done.Dispose();
            _done = null;
        }
        return row;
    }

    /// <summary>Line (or Parquet row) number of the done row last returned, for errors.</summary>
    internal long DoneLineNumber => _done?.LineNumber ?? 0;

    internal string DoneSourceName => _done?.SourceName ?? _writePath;

    /// <summary>Appends a scored batch and makes it durable (flush, and fsync with SyncToDisk) before returning.</summary>
    internal void Append(IReadOnlyList<DataRow> rows)
    {
        if (_done is not null) throw new InvalidOperationException("Rows already in the output must all be read before appending.");
        _writer ??= CreateWriter();
        _writer.Write(rows);
        _writer.Flush(toDisk: _options.SyncToDisk);
    }

    private IRecordWriter CreateWriter()
    {
        if (_doneFromFinalParquet)
        {
            // The finished Parquet output gets new rows: copy it into the checkpoint first, then append after it.
            using var finished = new ParquetRecordReader(RecordFiles.OpenRead(_finalPath), _finalPath);
            _file.Seek(0, SeekOrigin.End);
            using var copy = new JsonlRecordWriter(_file, _writePath, leaveOpen: true);
            var chunk = new List<DataRow>(1000);
            for (var row = finished.Read(); row is not null; row = finished.Read())
            {
                chunk.Add(row);
                if (chunk.Count == 1000) { copy.Write(chunk); chunk.Clear(); }
            }
            copy.Write(chunk);
            copy.Flush(toDisk: true);
            _doneFromFinalParquet = false;
        }
        _file.Seek(0, SeekOrigin.End);
        if (_writeFormat == RecordFormat.Jsonl) return new JsonlRecordWriter(_file, _writePath, leaveOpen: true);
        var options = new RecordWriterOptions { Columns = _csvColumns, Delimiter = _options.OutputDelimiter, WriteHeader = _file.Length == 0 };
        return new CsvRecordWriter(_file, _writePath, _writeFormat, options, leaveOpen: true);
    }

    /// <summary>
    /// Finishes a completed run: a CSV output with no rows still gets its header; a Parquet output is written from the
    /// checkpoint to a temporary file, renamed over the output, and the checkpoint deleted.
    /// </summary>
    internal void Complete(RecordSchema emptySchema, CancellationToken cancellationToken)
    {
        if (_finalFormat != RecordFormat.Parquet)
        {
            if (_file.Length == 0 && _csvColumns is not null) Append(Array.Empty<DataRow>());
            _file.Flush(flushToDisk: true);
            return;
        }
        if (_file.Length == 0 && _doneFromFinalParquet)
        {
            DisposeHandles();
            File.Delete(_writePath);
            return;
        }
        var temp = _finalPath + ".tmp";
        var builder = new RecordSchemaBuilder();
        ForEachCheckpointRow(builder.Observe, cancellationToken);
        var schema = builder.IsEmpty ? emptySchema : builder.Build();
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            using (var writer = new ParquetRecordWriter(stream, _finalPath, new RecordWriterOptions { Schema = schema }, leaveOpen: true))
            {
                var group = new List<DataRow>(_options.ParquetRowGroupSize);
                ForEachCheckpointRow(row =>
                {
                    group.Add(row);
                    if (group.Count == _options.ParquetRowGroupSize) { writer.Write(group); group.Clear(); }
                }, cancellationToken);
                if (group.Count > 0) writer.Write(group);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _finalPath, overwrite: true);
        DisposeHandles();
        File.Delete(_writePath);
    }

    private void ForEachCheckpointRow(Action<DataRow> action, CancellationToken cancellationToken)
    {
        _file.Position = 0;
        using var reader = new JsonlRecordReader(_file, _writePath, leaveOpen: true);
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            action(row);
        }
    }

    private void DisposeHandles()
    {
        _writer?.Dispose();
        _writer = null;
        _done?.Dispose();
        _done = null;
        _file.Dispose();
    }

    public void Dispose() => DisposeHandles();
}
