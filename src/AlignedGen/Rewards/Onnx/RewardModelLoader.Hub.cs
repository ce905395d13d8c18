using AlignedGen.Hub;

namespace AlignedGen.Rewards;

public static partial class RewardModelLoader
{
    /// <summary>
    /// Loads a reward model from the Hugging Face Hub, <c>hf:org/name[@revision][/subfolder]</c> (the "hf:" may be left
    /// out), downloading its folder into the Hub cache or finding it there (see <see cref="HubModelDownloader"/>).
    /// </summary>
    public static OnnxRewardModel FromHub(string reference, RewardModelOptions? options = null, HubOptions? hub = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var parsed = HubModelReference.ParseLenient(reference);
        options ??= RewardModelOptions.Default;
        using var downloader = new HubModelDownloader(hub);
        var folder = downloader.Download(parsed, options.Execution.Device, progress, cancellationToken);
        return FromFolder(folder.Path, options);
    }
}
