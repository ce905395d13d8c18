using AlignedGen.Hub;

namespace AlignedGen.Models;

public sealed partial class OnnxCausalLanguageModel
{
    /// <summary>
    /// Loads a model from the Hugging Face Hub, <c>hf:org/name[@revision][/subfolder]</c> (the "hf:" may be left out):
    /// the folder is downloaded into the Hub cache (or found there; see <see cref="HubModelDownloader"/>), choosing a
    /// variant for the execution device when the repository holds several and the reference names none.
    /// </summary>
    public static OnnxCausalLanguageModel FromHub(string reference, ExecutionOptions? execution = null, HubOptions? hub = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        return FromHub(HubModelReference.ParseLenient(reference), execution, hub, progress, cancellationToken);
    }

    /// <summary>Loads the model <paramref name="reference"/> names from the Hugging Face Hub (see the string overload).</summary>
    public static OnnxCausalLanguageModel FromHub(HubModelReference reference, ExecutionOptions? execution = null, HubOptions? hub = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        execution ??= ExecutionOptions.Default;
        using var downloader = new HubModelDownloader(hub);
        var folder = downloader.Download(reference, execution.Device, progress, cancellationToken);
        return Load(folder.Path, execution);
    }
}
