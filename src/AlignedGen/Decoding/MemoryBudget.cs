using System.Globalization;

namespace AlignedGen.Decoding;

/// <summary>
/// The memory a generation run may fill with model caches when <see cref="GenerationOptions.MemoryBudgetBytes"/> is not
/// set: half of the memory available when the run starts (Linux: MemAvailable; elsewhere the GC's view of available
/// memory less this process's working set), so the weights already loaded, activations and other processes keep room.
/// </summary>
public static class MemoryBudget
{
    /// <summary>
    /// The default budget now: <see cref="AlignedGenDefaults.MemoryBudgetShare"/> of <see cref="AvailableBytes"/>, at least
    /// <see cref="AlignedGenDefaults.MinimumMemoryBudgetBytes"/>.
    /// </summary>
    public static long DefaultBytes() =>
        Math.Max(AlignedGenDefaults.MinimumMemoryBudgetBytes, (long)(AvailableBytes() * AlignedGenDefaults.MemoryBudgetShare));

    /// <summary>Memory the machine (or container) can still give this process, in bytes.</summary>
    public static long AvailableBytes()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var kilobytes = long.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return Math.Min(kilobytes * 1024, ContainerRoom());
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return ContainerRoom();
    }

    /// <summary>Bytes as "512 MiB" or "1.50 GiB" for messages.</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString(bytes >= 10L << 20 ? "F0" : "F1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The GC's limit for this process (physical memory or a container limit) less what the process already holds.</summary>
    private static long ContainerRoom() => Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet);
}
