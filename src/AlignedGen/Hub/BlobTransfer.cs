using System.Net;

namespace AlignedGen.Hub;

/// <summary>
/// Brings one file into the cache's blobs/ folder: under the blob's lock (.locks/…/&lt;etag&gt;.lock, the same file
/// huggingface_hub locks), into blobs/&lt;etag&gt;.incomplete, resuming what an earlier interrupted run left there with an
/// HTTP Range request, then checks size and hash (<see cref="ContentHash"/>) and renames it into place. A transfer that
/// breaks off is retried from where it stopped; the part on disk is kept for the next run when retries run out.
/// </summary>
internal sealed class BlobTransfer(HubApi api, HubCache cache)
{
    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The blob path of <paramref name="file"/> (which has Size and ETag), transferring it when absent;
    /// <paramref name="onBytes"/> receives the bytes of the file on disk as they grow.
    /// </summary>
    public async Task<string> EnsureAsync(HubModelReference reference, string commit, HubFileEntry file, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var etag = file.ETag!;
        var size = file.Size!.Value;
        var blob = cache.BlobPath(reference.RepositoryId, etag);
        if (IsPresent(blob, size)) return blob;
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        await using var held = await LockAsync(cache.LockPath(reference.RepositoryId, etag), cancellationToken).ConfigureAwait(false);
        if (IsPresent(blob, size)) return blob; // another process finished it while we waited

        var incomplete = cache.IncompletePath(reference.RepositoryId, etag);
        string? hash = null;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                hash = await TransferAsync(reference, commit, file, incomplete, onBytes, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (DiskSpace.IsDiskFull(e))
            {
                throw new HubException(HubErrorKind.DiskFull, $"{reference} file {file.Path}",
                    $"the disk holding {cache.Directory} is full ({DiskSpace.Describe(Length(incomplete))} of {DiskSpace.Describe(size)} written; the part is kept).",
                    "free space on that disk (or set HF_HUB_CACHE to a folder on a larger one) and run again: the transfer resumes where it stopped.", null, e);
            }
            catch (Exception e) when (attempt < api.Options.MaxRetries && IsRetryable(e, cancellationToken))
            {
                await HubApi.BackoffAsync(attempt + 1, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRetryable(e, cancellationToken) && e is not HubException)
            {
                throw new HubException(HubErrorKind.Unreachable, $"{reference} file {file.Path}",
                    $"the transfer broke off at {DiskSpace.Describe(Length(incomplete))} of {DiskSpace.Describe(size)} ({e.Message}); the part is kept in {incomplete}.",
                    "run again when the network is back: the transfer resumes where it stopped.", null, e);
            }
        }

        var length = Length(incomplete);
        if (length != size || (hash is not null && hash != etag))
        {
            File.Delete(incomplete);
            var problem = length != size
                ? $"the file arrived with {length} bytes where the Hub reported {size}."
                : $"the file's {new ContentHash(etag, size).Algorithm} is {hash} where the Hub reported {etag}.";
            throw new HubException(HubErrorKind.IntegrityCheckFailed, $"{reference} file {file.Path}", problem + " The damaged copy was deleted.",
                "run again; if it fails again, a proxy or mirror between you and the Hub is changing the file (check HF_ENDPOINT).");
        }
        File.Move(incomplete, blob, overwrite: true);
        return blob;
    }

    /// <summary>Transfers the rest of the file into <paramref name="incomplete"/>; returns its hash in the ETag's form (null when the ETag cannot be checked).</summary>
    private async Task<string?> TransferAsync(HubModelReference reference, string commit, HubFileEntry file, string incomplete, Action<long> onBytes,
        CancellationToken cancellationToken)
    {
        var size = file.Size!.Value;
        await using var stream = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        long offset = stream.Length > size ? 0 : stream.Length;
        HttpResponseMessage? response = null;
        try
        {
            if (offset < size)
            {
                response = await api.OpenFileAsync(reference, commit, file.Path, offset, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset)
                    offset = 0; // the server sent the whole file (it ignored the Range): start over
            }
            stream.SetLength(offset);
            using var hash = new ContentHash(file.ETag!, size);
            var buffer = new byte[BufferSize];
            stream.Position = 0;
            for (long read = 0; read < offset;)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, offset - read)), cancellationToken).ConfigureAwait(false);
                if (n == 0) throw new IOException($"{incomplete} shrank while it was read.");
                hash.Append(buffer.AsSpan(0, n));
                read += n;
            }
            onBytes(offset);
            if (response is not null)
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    int n;
                    using (var timeout = api.ReadTimeout(cancellationToken))
                        n = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    hash.Append(buffer.AsSpan(0, n));
                    offset += n;
                    onBytes(offset);
                    if (offset > size) break; // more than the Hub reported: the size check below rejects it
                }
                if (offset < size)
                    throw new IOException($"the connection closed after {offset} of {size} bytes.");
            }
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return hash.Finish();
        }
        finally
        {
            response?.Dispose();
        }
    }

    private static bool IsRetryable(Exception e, CancellationToken cancellationToken) =>
        HubApi.IsTransient(e, cancellationToken) && !DiskSpace.IsDiskFull(e)
        || e is HubException { Kind: HubErrorKind.Unreachable, StatusCode: null or 429 or >= 500 };

    private static bool IsPresent(string blob, long size) => File.Exists(blob) && new FileInfo(blob).Length == size;

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix, the lock Python's filelock takes on the same file.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (!DiskSpace.IsDiskFull(e))
            {
                await Task.Delay(LockPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
