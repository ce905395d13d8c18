using AlignedGen.Data;
using AlignedGen.Models;

namespace AlignedGen.Hub;

/// <summary>
/// Brings a model folder from the Hugging Face Hub into the Hub cache and returns its local path. Only what a model
/// folder needs is fetched: configuration and tokenizer files, the ONNX graph the loaders open and the external data it
/// names — never PyTorch weights or the other variants. A folder already complete in the cache is returned without any
/// request (unless <see cref="HubOptions.CheckForUpdates"/>); offline, only the cache is read.
/// </summary>
public sealed class HubModelDownloader : IDisposable
{
    private readonly HubApi _api;
    private readonly BlobTransfer _blobs;

    /// <summary>A downloader with <paramref name="options"/> (default: <see cref="HubOptions.FromEnvironment"/>).</summary>
    public HubModelDownloader(HubOptions? options = null)
    {
        Options = options ?? HubOptions.FromEnvironment();
        Cache = new HubCache(Options.CacheDirectory);
        _api = new HubApi(Options);
        _blobs = new BlobTransfer(_api, Cache);
    }

    public HubOptions Options { get; }

    public HubCache Cache { get; }

    /// <summary>Reads the free bytes of a folder's disk (tests replace it to play a full disk).</summary>
    internal Func<string, long?> FreeSpace { get; init; } = DiskSpace.FreeBytes;

    /// <summary>Downloads (or finds in the cache) the model folder <paramref name="reference"/> names; a variant is chosen for <paramref name="device"/> when the reference names none.</summary>
    public async Task<HubModelFolder> DownloadAsync(HubModelReference reference, ExecutionDevice device = ExecutionDevice.Cpu,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if ((Options.Offline || !Options.CheckForUpdates) && FromCache(reference, device, allowCachedVariant: Options.Offline) is { } cached)
            return cached;
        if (Options.Offline)
            throw NotCached(reference, "HF_HUB_OFFLINE is set and the model is not in the cache", "unset HF_HUB_OFFLINE (or set it to 0) and run once with the network, or copy the cache folder from a machine that has the model");

        HubRepositoryInfo info;
        try
        {
            info = await _api.GetRepositoryAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException e) when (e.Kind == HubErrorKind.Unreachable)
        {
            // As huggingface_hub does: when the Hub cannot be reached, a cached copy of the revision serves.
            if (FromCache(reference, device, allowCachedVariant: true) is { } fallback)
                return fallback with { Notes = fallback.Notes.Append($"the Hub could not be reached ({e.Problem}); using the cached commit {fallback.Commit}.").ToList() };
            throw;
        }
        return await DownloadFolderAsync(reference, info, device, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="DownloadAsync"/>, waiting for the result (for synchronous callers such as the loaders and cmdlets).</summary>
    public HubModelFolder Download(HubModelReference reference, ExecutionDevice device = ExecutionDevice.Cpu,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.Run(() => DownloadAsync(reference, device, progress, cancellationToken));

    /// <summary>The repository's listing at the reference's revision (one request).</summary>
    public Task<HubRepositoryInfo> GetRepositoryAsync(HubModelReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (Options.Offline)
            throw NotCached(reference, "HF_HUB_OFFLINE is set, so the repository cannot be listed", "unset HF_HUB_OFFLINE to list it");
        return _api.GetRepositoryAsync(reference, cancellationToken);
    }

    /// <summary>The model folders (variants) of the repository: "" for the root, else paths such as cuda/cuda-fp16.</summary>
    public async Task<IReadOnlyList<string>> ListVariantsAsync(HubModelReference reference, CancellationToken cancellationToken = default) =>
        ModelVariants.List(await GetRepositoryAsync(reference, cancellationToken).ConfigureAwait(false));

    public void Dispose() => _api.Dispose();

    private async Task<HubModelFolder> DownloadFolderAsync(HubModelReference reference, HubRepositoryInfo info, ExecutionDevice device,
        IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var repo = reference.RepositoryId;
        var commit = info.Commit;
        Cache.WriteRef(repo, reference.EffectiveRevision, commit);
        var folder = ModelVariants.Choose(info, reference, device);
        var chosen = reference.WithSubfolder(folder.Length == 0 ? null : folder);
        var notes = new List<string>();
        if (reference.Subfolder is null && folder.Length > 0)
            notes.Add($"the repository keeps its model in '{folder}'; loading {chosen} (name another variant to choose).");
        var inFolder = info.Files.Where(f => f.Folder == folder).ToList();
        var local = Path.Combine(Cache.SnapshotFolder(repo, commit), Path.Combine(folder.Split('/', StringSplitOptions.RemoveEmptyEntries)));
        var run = new Run(this, chosen, commit, progress, cancellationToken);

        // genai_config.json first: it names the graph file.
        if (inFolder.FirstOrDefault(f => f.Name == "genai_config.json") is { } genai)
            await run.FetchAsync(await run.WithMetadataAsync(genai).ConfigureAwait(false), link: true).ConfigureAwait(false);
        var names = inFolder.Select(f => f.Name).ToList();
        var graphName = ModelFolderFiles.ChooseGraph(names, ModelFolderFiles.GenaiDecoderFile(local))
            ?? throw new HubException(HubErrorKind.NoOnnxModel, chosen.ToString(),
                $"the folder holds several ONNX graphs ({string.Join(", ", names.Where(ModelFolderFiles.IsGraph))}) and neither a model.onnx nor a genai_config.json naming one.",
                "AlignedGen loads a decoder exported with its KV cache as model.onnx (Optimum: --task text-generation-with-past; older exports split it into decoder_model.onnx and decoder_with_past_model.onnx, which it cannot use).");
        var graph = inFolder.First(f => f.Name == graphName);
        var plan = inFolder.Where(f => ModelFolderFiles.IsSmallFile(f.Name) && f.Name != "genai_config.json")
            .Concat(inFolder.Where(f => ModelFolderFiles.IsNamedDataOf(f.Name, graphName)))
            .Append(graph)
            .ToList();
        for (int i = 0; i < plan.Count; i++) plan[i] = await run.WithMetadataAsync(plan[i]).ConfigureAwait(false);
        run.Plan(plan);
        CheckDiskSpace(chosen, plan);

        foreach (var file in plan.Take(plan.Count - 1))
            await run.FetchAsync(file, link: true).ConfigureAwait(false);
        var graphBlob = await run.FetchAsync(plan[^1], link: false).ConfigureAwait(false);
        foreach (var location in ReadExternalData(chosen, graphBlob))
        {
            var path = (folder.Length == 0 ? "" : folder + "/") + location.Replace('\\', '/');
            if (run.Has(path)) continue;
            var entry = info.Files.FirstOrDefault(f => f.Path == path)
                ?? throw new HubException(HubErrorKind.FileNotFound, chosen.ToString(), $"the graph {graph.Path} keeps its weights in '{location}', which the repository does not have.",
                    "the export is incomplete; tell the repository's owner, or use another variant.");
            var withMetadata = await run.WithMetadataAsync(entry).ConfigureAwait(false);
            run.Plan([withMetadata]);
            await run.FetchAsync(withMetadata, link: true).ConfigureAwait(false);
        }
        HubCache.LinkPointer(graphBlob, Cache.PointerPath(repo, commit, graph.Path)); // last: a folder with its graph is complete
        return new HubModelFolder(chosen, commit, local, run.Fetched, run.BytesTransferred, FromCache: false, notes);
    }

    private HubModelFolder? FromCache(HubModelReference reference, ExecutionDevice device, bool allowCachedVariant)
    {
        var commit = Cache.ReadRef(reference.RepositoryId, reference.EffectiveRevision);
        if (commit is null) return null;
        var snapshot = Cache.SnapshotFolder(reference.RepositoryId, commit);
        var folder = reference.Subfolder is null ? snapshot : Path.Combine(snapshot, Path.Combine(reference.Subfolder.Split('/')));
        if (ModelFolderFiles.IsComplete(folder))
            return new HubModelFolder(reference, commit, folder, Array.Empty<string>(), 0, FromCache: true, Array.Empty<string>());
        if (reference.Subfolder is not null || !allowCachedVariant || !Directory.Exists(snapshot)) return null;

        // Offline without a variant named: the one complete variant in the cache (or the one for the device) serves.
        var cached = Directory.EnumerateDirectories(snapshot, "*", SearchOption.AllDirectories).Where(ModelFolderFiles.IsComplete)
            .Select(d => Path.GetRelativePath(snapshot, d).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        var pick = cached.Count == 1 ? cached : cached.Where(v => v.Contains(device == ExecutionDevice.Cuda ? "cuda" : "cpu", StringComparison.OrdinalIgnoreCase)).ToList();
        if (pick.Count != 1) return null;
        var chosen = reference.WithSubfolder(pick[0]);
        return new HubModelFolder(chosen, commit, Path.Combine(snapshot, Path.Combine(pick[0].Split('/'))), Array.Empty<string>(), 0, FromCache: true,
            [$"the Hub was not asked; the cache holds one variant of {reference} for {device}: {chosen}."]);
    }

    private IReadOnlyList<string> ReadExternalData(HubModelReference reference, string graphBlob)
    {
        try
        {
            return OnnxExternalData.Locations(graphBlob);
        }
        catch (InvalidDataException e)
        {
            throw new HubException(HubErrorKind.NoOnnxModel, reference.ToString(), $"the graph is not a valid ONNX file ({e.Message}).",
                "use another variant, or tell the repository's owner.", null, e);
        }
    }

    private void CheckDiskSpace(HubModelReference reference, IReadOnlyList<HubFileEntry> plan)
    {
        var needed = plan.Where(f => !File.Exists(Cache.BlobPath(reference.RepositoryId, f.ETag!)))
            .Sum(f => f.Size!.Value - Length(Cache.IncompletePath(reference.RepositoryId, f.ETag!)));
        Directory.CreateDirectory(Cache.Directory);
        if (FreeSpace(Cache.Directory) is { } free && free < needed)
            throw new HubException(HubErrorKind.DiskFull, reference.ToString(),
                $"the model needs {DiskSpace.Describe(needed)} more but the disk holding {Cache.Directory} has {DiskSpace.Describe(free)} free.",
                "free space on that disk, or set HF_HUB_CACHE (or HF_HOME) to a folder on a disk with room.");
    }

    private static HubException NotCached(HubModelReference reference, string why, string fix) =>
        new(HubErrorKind.NotCached, reference.ToString(), why + ".", fix + ".");

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>One download: the files planned, progress over them, what was transferred.</summary>
    private sealed class Run(HubModelDownloader owner, HubModelReference reference, string commit, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly HashSet<string> _planned = new(StringComparer.Ordinal);
        private readonly List<string> _fetched = new();
        private long _bytesTotal;
        private long _bytesDone;
        private int _filesTotal;

        public IReadOnlyList<string> Fetched => _fetched;

        public long BytesTransferred { get; private set; }

        public bool Has(string path) => _planned.Contains(path) || _fetched.Contains(path);

        /// <summary>Adds files to the plan; their missing bytes join the progress total.</summary>
        public void Plan(IEnumerable<HubFileEntry> files)
        {
            foreach (var file in files.Where(f => _planned.Add(f.Path) && !_fetched.Contains(f.Path)))
            {
                _filesTotal++;
                if (!File.Exists(owner.Cache.BlobPath(reference.RepositoryId, file.ETag!))) _bytesTotal += file.Size!.Value;
            }
        }

        /// <summary>The entry with size and ETag, asking the Hub (HEAD) when the listing lacked them.</summary>
        public async Task<HubFileEntry> WithMetadataAsync(HubFileEntry file) =>
            file.Size is not null && file.ETag is not null ? file
                : await owner._api.GetFileMetadataAsync(reference, commit, file.Path, cancellationToken).ConfigureAwait(false);

        /// <summary>Brings the file's blob (transferring it when absent) and, when <paramref name="link"/>, its snapshot link.</summary>
        public async Task<string> FetchAsync(HubFileEntry file, bool link)
        {
            if (!_planned.Contains(file.Path)) Plan([file]);
            var cache = owner.Cache;
            var transferring = !File.Exists(cache.BlobPath(reference.RepositoryId, file.ETag!));
            long resumedFrom = transferring ? Length(cache.IncompletePath(reference.RepositoryId, file.ETag!)) : 0;
            long last = 0;
            var blob = await owner._blobs.EnsureAsync(reference, commit, file, onDisk =>
            {
                if (onDisk < last) _bytesDone -= last - onDisk; // the server ignored a Range: the transfer restarted
                else _bytesDone += onDisk - last;
                last = onDisk;
                Report(file, onDisk);
            }, cancellationToken).ConfigureAwait(false);
            if (transferring) BytesTransferred += Math.Max(0, last - resumedFrom);
            if (link) HubCache.LinkPointer(blob, cache.PointerPath(reference.RepositoryId, commit, file.Path));
            _fetched.Add(file.Path);
            Report(file, file.Size!.Value);
            return blob;
        }

        private void Report(HubFileEntry file, long onDisk) =>
            progress?.Report(new HubDownloadProgress(reference.ToString(), file.Path, onDisk, file.Size!.Value, Math.Min(_bytesDone, _bytesTotal), _bytesTotal,
                _fetched.Count, _filesTotal));
    }
}
