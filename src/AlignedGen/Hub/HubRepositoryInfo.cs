namespace AlignedGen.Hub;

/// <summary>A repository at one commit as the Hub lists it (GET api/models/{repo}/revision/{revision}?blobs=true).</summary>
/// <param name="RepositoryId">"org/name" as the Hub spells it.</param>
/// <param name="Commit">The 40-character commit the revision resolved to.</param>
/// <param name="Files">Every file at that commit.</param>
public sealed record HubRepositoryInfo(string RepositoryId, string Commit, IReadOnlyList<HubFileEntry> Files);

/// <summary>
/// One file of a repository listing. <see cref="ETag"/> is what the cache names the blob by: the LFS SHA-256 for large
/// files, the git blob id otherwise (null when the listing carried no blob metadata; a HEAD request then asks).
/// </summary>
/// <param name="Path">The "/"-separated path in the repository.</param>
/// <param name="Size">The file's size in bytes (the LFS object's, not the pointer's), when listed.</param>
/// <param name="ETag">The git blob id or LFS SHA-256, when listed.</param>
public sealed record HubFileEntry(string Path, long? Size, string? ETag)
{
    /// <summary>The file name (last path part).</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>The folder holding the file ("" at the root).</summary>
    public string Folder => Path.LastIndexOf('/') is var slash and >= 0 ? Path[..slash] : "";
}
