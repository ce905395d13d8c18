namespace AlignedGen.Hub;

/// <summary>
/// Progress of bringing a model from the Hub, reported through <see cref="IProgress{T}"/> while files arrive and once per
/// file taken from the cache. Byte counts cover the files still to transfer (bytes resumed from an earlier, interrupted
/// run count as done).
/// </summary>
/// <param name="Reference">The model being brought (hf:org/name...).</param>
/// <param name="File">The repository path of the current file.</param>
/// <param name="FileBytes">Bytes of the current file on disk so far.</param>
/// <param name="FileTotal">The current file's size.</param>
/// <param name="BytesDone">Bytes on disk over all files to transfer.</param>
/// <param name="BytesTotal">Bytes of all files to transfer.</param>
/// <param name="FilesDone">Files complete (transferred or found in the cache).</param>
/// <param name="FilesTotal">Files the model folder needs.</param>
public sealed record HubDownloadProgress(string Reference, string File, long FileBytes, long FileTotal, long BytesDone, long BytesTotal,
    int FilesDone, int FilesTotal)
{
    /// <summary>Percent of the bytes to transfer, 0 to 100 (100 when nothing needs transferring).</summary>
    public int PercentComplete => BytesTotal <= 0 ? 100 : (int)Math.Clamp(100 * BytesDone / BytesTotal, 0, 100);
}
