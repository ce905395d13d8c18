using System.Globalization;
using System.Management.Automation;
using AlignedGen.Hub;
using AlignedGen.Models;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Base of Import-AlignedModel and Import-RewardModel: a model comes from a folder (-Path; an "hf:org/name" string
/// there is a Hub reference too) or from the Hugging Face Hub (-Repository org/name [-Revision r] [-Subfolder path]),
/// downloaded into the Hub cache with Write-Progress, honouring HF_TOKEN, HF_ENDPOINT, HF_HOME / HF_HUB_CACHE and
/// HF_HUB_OFFLINE like huggingface_hub.
/// </summary>
public abstract class ModelImportCmdlet : AlignedGenCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -Repository.</summary>
    protected const string RepositorySet = "Repository";

    /// <summary>The Hub repository, "org/name" (as in the model page's address).</summary>
    [Parameter(Mandatory = true, ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The branch, tag or commit (default main).</summary>
    [Parameter(ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Revision { get; set; }

    /// <summary>The folder inside the repository that holds the model (a variant such as cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4).</summary>
    [Parameter(ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Subfolder { get; set; }

    /// <summary>Ask the Hub whether the branch or tag moved even when it is cached (by default a cached revision is used without a request).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter CheckForUpdates { get; set; }

    /// <summary>
    /// The local model folder: for -Repository (or an "hf:" -Path) the folder downloaded into the Hub cache, choosing a
    /// variant for <paramref name="device"/> when the repository has several and none is named; else the -Path folder,
    /// which must exist (a missing path that reads like a Hub id says "did you mean -Repository").
    /// </summary>
    protected string ResolveModelFolder(string path, ExecutionDevice device)
    {
        HubModelReference reference;
        if (ParameterSetName == RepositorySet)
            reference = new HubModelReference(Repository, Revision, Subfolder);
        else if (HubModelReference.HasPrefix(path))
            reference = HubModelReference.Parse(path);
        else
        {
            var folder = ResolveOutputPath(path);
            if (!Directory.Exists(folder) && !File.Exists(folder) && HubModelReference.LooksLikeRepositoryId(path))
                throw new ModelFolderException(folder, "the model folder does not exist.",
                    $"did you mean -Repository {path}? That downloads the model from the Hugging Face Hub; otherwise pass the folder that holds model.onnx.");
            return folder;
        }

        var options = HubOptions.FromEnvironment() with { CheckForUpdates = CheckForUpdates.IsPresent };
        var result = RunInBackground(work =>
        {
            using var downloader = new HubModelDownloader(options);
            var progress = work.CreateProgress<HubDownloadProgress>($"Downloading {reference}", Describe);
            return downloader.Download(reference, device, progress, work.CancellationToken);
        });
        WriteVerbose(result.FromCache ? $"{result.Reference} is in the Hub cache: {result.Path}" : $"{result.Reference} downloaded ({result.BytesTransferred:N0} bytes) to {result.Path}");
        foreach (var note in result.Notes) WriteVerbose(note);
        return result.Path;
    }

    /// <summary>What errors name before the folder is known: the repository, the hf: reference, or the full -Path.</summary>
    protected string ModelTarget(string path) =>
        ParameterSetName == RepositorySet ? Repository : HubModelReference.HasPrefix(path) ? path : ResolveOutputPath(path);

    private static ProgressInfo Describe(HubDownloadProgress p) => new(
        string.Create(CultureInfo.InvariantCulture, $"{p.BytesDone / 1e6:0.0} of {p.BytesTotal / 1e6:0.0} MB"),
        p.BytesDone, p.BytesTotal,
        $"{p.File} (file {Math.Min(p.FilesDone + 1, p.FilesTotal)} of {p.FilesTotal})");
}
