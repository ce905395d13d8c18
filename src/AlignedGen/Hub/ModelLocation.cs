using AlignedGen.Models;

namespace AlignedGen.Hub;

/// <summary>
/// Turns a model string into a local folder, the same way on every surface: <c>hf:org/name[@revision][/subfolder]</c> is
/// brought from the Hugging Face Hub (or found in its cache); anything else is a path on disk.
/// </summary>
public static class ModelLocation
{
    /// <summary>
    /// The local folder <paramref name="pathOrReference"/> names. A Hub reference is downloaded with
    /// <paramref name="hub"/> (default: the environment's HF_* settings), choosing a variant for <paramref name="device"/>
    /// when it names none; a path is returned in full form, unchecked (the loaders say what is wrong with it).
    /// </summary>
    public static string ResolveFolder(string pathOrReference, ExecutionDevice device = ExecutionDevice.Cpu, HubOptions? hub = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrReference);
        if (!HubModelReference.HasPrefix(pathOrReference)) return Path.GetFullPath(pathOrReference);
        using var downloader = new HubModelDownloader(hub);
        return downloader.Download(HubModelReference.Parse(pathOrReference), device, progress, cancellationToken).Path;
    }
}
