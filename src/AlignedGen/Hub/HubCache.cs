using System.Text.RegularExpressions;

namespace AlignedGen.Hub;

/// <summary>
/// The Hugging Face Hub cache layout, exactly as huggingface_hub writes it (file_download.py), so files downloaded here
/// and by Python are shared:
/// <code>
/// &lt;cache&gt;/models--org--name/blobs/&lt;etag&gt;                    file contents, stored once (etag = git oid or LFS sha256)
/// &lt;cache&gt;/models--org--name/blobs/&lt;etag&gt;.incomplete         a transfer in progress (resumed with an HTTP Range request)
/// &lt;cache&gt;/models--org--name/snapshots/&lt;commit&gt;/&lt;path&gt;      relative symbolic links to the blobs
/// &lt;cache&gt;/models--org--name/refs/&lt;branch or tag&gt;          the commit it pointed to
/// &lt;cache&gt;/.locks/models--org--name/&lt;etag&gt;.lock             held while a blob downloads
/// </code>
/// </summary>
public sealed partial class HubCache
{
    /// <summary>A cache rooted at <paramref name="directory"/> (the HF_HUB_CACHE folder).</summary>
    public HubCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The cache root.</summary>
    public string Directory { get; }

    /// <summary>Whether <paramref name="revision"/> is a full 40-character commit hash (which never moves, so needs no ref).</summary>
    public static bool IsCommitHash(string revision) => CommitHash().IsMatch(revision);

    /// <summary>"models--org--name": the repository's folder name (huggingface_hub's repo_folder_name).</summary>
    public static string RepositoryFolderName(string repositoryId) => "models--" + repositoryId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>The repository's folder in the cache.</summary>
    public string RepositoryFolder(string repositoryId) => Path.Combine(Directory, RepositoryFolderName(repositoryId));

    /// <summary>Where the blob with <paramref name="etag"/> is stored.</summary>
    public string BlobPath(string repositoryId, string etag) => Path.Combine(RepositoryFolder(repositoryId), "blobs", RequireSafeName(etag, "ETag"));

    /// <summary>Where the blob's transfer in progress is kept.</summary>
    public string IncompletePath(string repositoryId, string etag) => BlobPath(repositoryId, etag) + ".incomplete";

    /// <summary>The lock file held while the blob downloads.</summary>
    public string LockPath(string repositoryId, string etag) =>
        Path.Combine(Directory, ".locks", RepositoryFolderName(repositoryId), RequireSafeName(etag, "ETag") + ".lock");

    /// <summary>The snapshot folder of <paramref name="commit"/>.</summary>
    public string SnapshotFolder(string repositoryId, string commit) =>
        Path.Combine(RepositoryFolder(repositoryId), "snapshots", RequireSafeName(commit, "commit"));

    /// <summary>The snapshot path of <paramref name="repositoryPath"/> ("/"-separated) at <paramref name="commit"/>; never outside the snapshot.</summary>
    public string PointerPath(string repositoryId, string commit, string repositoryPath)
    {
        var snapshot = SnapshotFolder(repositoryId, commit);
        var pointer = Path.GetFullPath(Path.Combine(snapshot, Path.Combine(repositoryPath.Split('/'))));
        if (!pointer.StartsWith(snapshot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Repository path '{repositoryPath}' leaves the snapshot folder; a Hub listing never names such a file.", nameof(repositoryPath));
        return pointer;
    }

    /// <summary>The commit a branch or tag was last seen at (refs/&lt;revision&gt;), a commit hash itself, or null when unknown.</summary>
    public string? ReadRef(string repositoryId, string revision)
    {
        if (IsCommitHash(revision)) return revision;
        var path = RefPath(repositoryId, revision);
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } commit && IsCommitHash(commit) ? commit : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records that <paramref name="revision"/> points to <paramref name="commit"/> (atomically; nothing for a commit hash or an unchanged ref).</summary>
    public void WriteRef(string repositoryId, string revision, string commit)
    {
        if (revision == commit) return;
        var path = RefPath(repositoryId, revision);
        if (ReadRef(repositoryId, revision) == commit) return;
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
        File.WriteAllText(temporary, commit); // no trailing newline: huggingface_hub reads the file verbatim
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Makes <paramref name="pointerPath"/> a relative symbolic link to <paramref name="blobPath"/> (huggingface_hub's
    /// _create_symlink); where the file system refuses links (Windows without developer mode), a copy.
    /// </summary>
    public static void LinkPointer(string blobPath, string pointerPath)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(pointerPath)!);
        var temporary = $"{pointerPath}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
        try
        {
            File.CreateSymbolicLink(temporary, Path.GetRelativePath(Path.GetDirectoryName(pointerPath)!, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, temporary, overwrite: true);
        }
        File.Move(temporary, pointerPath, overwrite: true);
    }

    private string RefPath(string repositoryId, string revision)
    {
        var refs = Path.Combine(RepositoryFolder(repositoryId), "refs");
        var path = Path.GetFullPath(Path.Combine(refs, Path.Combine(revision.Split('/'))));
        if (!path.StartsWith(refs + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Revision '{revision}' is not a branch or tag name.", nameof(revision));
        return path;
    }

    private static string RequireSafeName(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || value is "." or ".." || value.Contains('/') || value.Contains('\\'))
            throw new ArgumentException($"The Hub sent {what} '{value}', which cannot name a file; the server is not a Hugging Face Hub.", what);
        return value;
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
