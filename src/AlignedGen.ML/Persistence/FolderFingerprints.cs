namespace AlignedGen.ML;

/// <summary>The fingerprints of the model folders one transformer uses (LM, reward models, embedder), by absolute folder path.</summary>
internal sealed class FolderFingerprints
{
    private readonly Dictionary<string, string> _byFolder = new(StringComparer.Ordinal);

    /// <summary>No folders.</summary>
    public static FolderFingerprints None => new();

    /// <summary>Fingerprints every distinct folder in <paramref name="folders"/> (nulls skipped; each folder read once).</summary>
    public static FolderFingerprints Compute(IEnumerable<string?> folders)
    {
        var result = new FolderFingerprints();
        foreach (var folder in folders)
            if (folder is not null && !result._byFolder.ContainsKey(folder)) result._byFolder[folder] = ModelFolderFingerprint.Compute(folder);
        return result;
    }

    /// <summary>The fingerprint of <paramref name="folder"/>, or null when it is null or unknown.</summary>
    public string? Of(string? folder) => folder is not null && _byFolder.TryGetValue(folder, out var hash) ? hash : null;

    /// <summary>The fingerprint of the first of <paramref name="folders"/> (a reward's folder), or null.</summary>
    public string? OfFirst(IEnumerable<string>? folders) => Of(folders?.FirstOrDefault());

    /// <summary>Records a fingerprint checked when a saved transformer is read.</summary>
    public void Add(string folder, string fingerprint) => _byFolder[folder] = fingerprint;
}
