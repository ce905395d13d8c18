namespace AlignedGen.Hub;

/// <summary>Free space of the cache's disk, and recognising "disk full" among I/O errors.</summary>
internal static class DiskSpace
{
    /// <summary>Free bytes for the current user on the disk holding <paramref name="folder"/>, or null when it cannot be read.</summary>
    public static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="e"/> is the file system reporting no space left (ENOSPC on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(Exception e)
    {
        if (e is not IOException io) return false;
        var code = io.HResult & 0xFFFF;
        return OperatingSystem.IsWindows() ? code is 39 or 112 : code == 28;
    }

    /// <summary>"1.2 GB", "340 MB", "12 kB".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1_000_000_000 => $"{bytes / 1e9:0.0#} GB",
        >= 1_000_000 => $"{bytes / 1e6:0.#} MB",
        >= 1_000 => $"{bytes / 1e3:0.#} kB",
        _ => $"{bytes} bytes",
    };
}
