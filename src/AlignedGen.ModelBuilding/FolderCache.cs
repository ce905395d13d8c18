namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds a folder once under a cache directory and reuses it: the folder is written under a temporary name and moved
/// into place, so concurrent threads or processes never see a half-written folder (the last one to finish wins; all
/// write the same bytes).
/// </summary>
internal static class FolderCache
{
    /// <summary>
    /// Returns <paramref name="parent"/>/<paramref name="name"/>, first calling <paramref name="write"/> on a staging folder
    /// when it does not exist yet. <paramref name="marker"/> is the file whose presence means the folder is complete.
    /// </summary>
    public static string Ensure(string parent, string name, string marker, Action<string> write)
    {
        parent = Path.GetFullPath(parent);
        var folder = Path.Combine(parent, name);
        if (File.Exists(Path.Combine(folder, marker))) return folder;
        if (Directory.Exists(folder))
        {
            throw new ModelFolderException(folder, $"the cached folder exists but has no {marker} (it was changed by hand; AlignedGen moves complete folders into place).",
                "delete the folder; the next call rebuilds it.");
        }
        Directory.CreateDirectory(parent);
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            write(staging);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, marker)))
        {
            // Another thread or process moved its copy into place first; it has the same bytes.
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return folder;
    }
}
