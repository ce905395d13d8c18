using AlignedGen.Models;

namespace AlignedGen.Hub;

/// <summary>
/// <c>OnnxCausalLanguageModel.FromHub</c>, as a static extension in the Hub's namespace: the Hub layer knows the models
/// it fetches, the models never know the Hub (no Models ↔ Hub cycle). Callers add <c>using AlignedGen.Hub;</c>.
/// </summary>
public static class OnnxCausalLanguageModelHub
{
    extension(OnnxCausalLanguageModel)
    {
        /// <summary>
        /// Loads a model from the Hugging Face Hub, <c>hf:org/name[@revision][/subfolder]</c> (the "hf:" may be left out):
        /// the folder is downloaded into the Hub cache (or found there; see <see cref="HubModelDownloader"/>), choosing a
        /// variant for the execution device when the repository holds several and the reference names none.
        /// </summary>
        public static OnnxCausalLanguageModel FromHub(string reference, ExecutionOptions? execution = null, HubOptions? hub = null,
            IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
            => OnnxCausalLanguageModel.FromHub(HubModelReference.ParseLenient(reference), execution, hub, progress, cancellationToken);

        /// <summary>Loads the model <paramref name="reference"/> names from the Hugging Face Hub (see the string overload).</summary>
        public static OnnxCausalLanguageModel FromHub(HubModelReference reference, ExecutionOptions? execution = null, HubOptions? hub = null,
            IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(reference);
            execution ??= ExecutionOptions.Default;
            using var downloader = new HubModelDownloader(hub);
            var folder = downloader.Download(reference, execution.Device, progress, cancellationToken);
            return OnnxCausalLanguageModel.Load(folder.Path, execution);
        }
    }
}
