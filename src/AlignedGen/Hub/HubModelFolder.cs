namespace AlignedGen.Hub;

/// <summary>A model folder brought from the Hub: its snapshot folder in the cache, ready for the loaders.</summary>
/// <param name="Reference">The reference with the chosen subfolder (variant) filled in.</param>
/// <param name="Commit">The commit the files come from.</param>
/// <param name="Path">The local folder (snapshots/&lt;commit&gt;/&lt;subfolder&gt; in the cache).</param>
/// <param name="Files">The repository paths the folder needed (empty when it came from the cache without a request).</param>
/// <param name="BytesTransferred">Bytes received from the Hub in this call (0 when everything was cached).</param>
/// <param name="FromCache">True when the folder was complete in the cache and no request was made.</param>
/// <param name="Notes">What the caller should know (a variant chosen for the device, a cached copy used while the Hub was unreachable).</param>
public sealed record HubModelFolder(HubModelReference Reference, string Commit, string Path, IReadOnlyList<string> Files, long BytesTransferred,
    bool FromCache, IReadOnlyList<string> Notes);
