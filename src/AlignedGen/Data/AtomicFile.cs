namespace AlignedGen.Data;

/// <summary>
/// A file being written to its temporary path (from <see cref="OutputFile.Create"/>). <see cref="Commit"/> makes it
/// durable and renames it into place; <see cref="Dispose"/> without a commit deletes it, so a failure leaves nothing behind.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private bool _committed, _disposed;

    internal AtomicFile(string path, string tempPath, FileStream stream)
    {
        Path = path;
        TempPath = tempPath;
        Stream = stream;
    }

    /// <summary>The output's final path.</summary>
    public string Path { get; }

    /// <summary>Where the bytes go until <see cref="Commit"/>.</summary>
    public string TempPath { get; }

    /// <summary>The stream to write (exclusive to this writer).</summary>
    public FileStream Stream { get; }

    /// <summary>Flushes (and, with <paramref name="syncToDisk"/>, fsyncs) the file, renames it over the output and fsyncs the folder.</summary>
    public void Commit(bool syncToDisk = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) return;
        Stream.Flush(flushToDisk: syncToDisk);
        Stream.Dispose();
        OutputFile.MoveIntoPlace(TempPath, Path);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_committed) return;
        Stream.Dispose();
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
        }
    }
}
