using System.Globalization;

namespace AlignedGen.Decoding;

/// <summary>
/// The memory a generation run may fill with model caches when <see cref="GenerationOptions.MemoryBudgetBytes"/> is not
/// set: half of the memory available when the run starts (Linux: MemAvailable; elsewhere the GC's view of available
/// memory less this process's working set), so the weights already loaded, activations and other processes keep room.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Share of the available memory the default budget takes.</summary>
    public const double DefaultShare = 0.5;

    /// <summary>The smallest default budget (a tiny machine still decodes one row at a time).</summary>
    public const long MinimumDefaultBytes = 64L << 20;

    /// <summary>The default budget now: <see cref="DefaultShare"/> of <see cref="AvailableBytes"/>, at least <see cref="MinimumDefaultBytes"/>.</summary>
    public static long DefaultBytes() => Math.Max(MinimumDefaultBytes, (long)(AvailableBytes() * DefaultShare));

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
