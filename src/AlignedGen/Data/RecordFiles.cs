namespace AlignedGen.Data;

/// <summary>Opens readers and writers for data files, picks the format from the extension, counts records cheaply.</summary>
public static class RecordFiles
{
    /// <summary>
    /// The format for a file extension: .jsonl/.ndjson → Jsonl, .csv → Csv, .tsv/.tab → Tsv, .parquet → Parquet
    /// (case-insensitive). Throws <see cref="ArgumentException"/> for anything else.
    /// </summary>
    public static RecordFormat FormatFromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".jsonl" or ".ndjson" => RecordFormat.Jsonl,
            ".csv" => RecordFormat.Csv,
            ".tsv" or ".tab" => RecordFormat.Tsv,
            ".parquet" => RecordFormat.Parquet,
            _ => throw new ArgumentException(
                $"Cannot tell the format of '{path}' from its extension '{ext}'. Fix: use .jsonl, .ndjson, .csv, .tsv, .tab or .parquet, or pass the format explicitly.",
                nameof(path)),
        };
    }

    /// <summary>Opens a file for reading; <paramref name="format"/> null means from the extension.</summary>
    public static IRecordReader OpenReader(string path, RecordFormat? format = null, RecordReaderOptions? options = null)
    {
        var resolved = format ?? FormatFromPath(path);
        var stream = OpenRead(path);
        try
        {
            return resolved switch
            {
                RecordFormat.Jsonl => new JsonlRecordReader(stream, path, options: options),
                RecordFormat.Csv or RecordFormat.Tsv => new CsvRecordReader(stream, path, resolved, options),
                _ => new ParquetRecordReader(stream, path),
            };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates (or replaces) a file for writing in place; <paramref name="format"/> null means from the extension. For an
    /// output that must never be seen half-written, use <see cref="CreateAtomicWriter"/>.
    /// </summary>
    public static IRecordWriter CreateWriter(string path, RecordFormat? format = null, RecordWriterOptions? options = null)
    {
        var resolved = format ?? FormatFromPath(path);
        OutputFile.Check(path);
        FileStream stream;
        try
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, $"cannot be written ({ex.Message}).", "choose a path in a folder you can write to.", ex);
        }
        return Wrap(stream, path, resolved, options);
    }

    /// <summary>
    /// Creates a writer whose file appears only on <see cref="AtomicRecordWriter.Commit"/> (see <see cref="OutputFile"/>):
    /// the output is checked first (not a folder, not the same file as any of <paramref name="inputPaths"/>).
    /// </summary>
    public static AtomicRecordWriter CreateAtomicWriter(string path, RecordFormat? format = null, RecordWriterOptions? options = null,
        IEnumerable<string?>? inputPaths = null)
    {
        var resolved = format ?? FormatFromPath(path);
        var file = OutputFile.Create(path, inputPaths);
        try
        {
            return new AtomicRecordWriter(file, resolved, options);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    internal static IRecordWriter Wrap(Stream stream, string path, RecordFormat format, RecordWriterOptions? options, bool leaveOpen = false) => format switch
    {
        RecordFormat.Jsonl => new JsonlRecordWriter(stream, path, leaveOpen),
        RecordFormat.Csv or RecordFormat.Tsv => new CsvRecordWriter(stream, path, format, options, leaveOpen),
        _ => new ParquetRecordWriter(stream, path, options, leaveOpen),
    };

    /// <summary>
    /// Counts records without parsing them: non-blank lines for JSONL, records outside quotes minus the header for CSV/TSV,
    /// row-group metadata for Parquet. A corrupt record still counts as one.
    /// </summary>
    public static long CountRecords(string path, RecordFormat? format = null, RecordReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        var resolved = format ?? FormatFromPath(path);
        if (resolved == RecordFormat.Parquet)
        {
            using var reader = new ParquetRecordReader(OpenRead(path), path);
            return reader.TotalRows;
        }
        using var stream = OpenRead(path);
        return RecordCounter.Count(stream, resolved, options, cancellationToken);
    }

    internal static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(path, null, "the file does not exist.", "check the path (relative paths start at " + Environment.CurrentDirectory + ").", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, $"cannot be read ({ex.Message}).", "check the path and its permissions.", ex);
        }
    }
}
