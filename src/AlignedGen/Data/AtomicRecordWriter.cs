namespace AlignedGen.Data;

/// <summary>
/// A record writer whose file appears only when <see cref="Commit"/> is called (written to <c>&lt;output&gt;.tmp</c>, then
/// renamed into place); disposed without a commit it leaves nothing. From <see cref="RecordFiles.CreateAtomicWriter"/>.
/// </summary>
public sealed class AtomicRecordWriter : IRecordWriter
{
    private readonly AtomicFile _file;
    private readonly IRecordWriter _inner;
    private bool _done;

    internal AtomicRecordWriter(AtomicFile file, RecordFormat format, RecordWriterOptions? options)
    {
        _file = file;
        _inner = RecordFiles.Wrap(file.Stream, file.Path, format, options, leaveOpen: true);
    }

    public string TargetName => _inner.TargetName;

    public RecordFormat Format => _inner.Format;

    public long RowsWritten => _inner.RowsWritten;

    public void Write(IReadOnlyList<DataRow> rows) => _inner.Write(rows);

    public void Flush(bool toDisk) => _inner.Flush(toDisk);

    /// <summary>Finishes the file (a Parquet footer), makes it durable and renames it over the output.</summary>
    public void Commit(bool syncToDisk = true)
    {
        _inner.Dispose();
        _done = true;
        _file.Commit(syncToDisk);
    }

    /// <summary>Without a commit: deletes the temporary file; the output is unchanged.</summary>
    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            try
            {
                _inner.Dispose();
            }
            catch (Exception)
            {
                // The file is being thrown away; a writer that cannot finish it does not matter.
            }
        }
        _file.Dispose();
    }
}
