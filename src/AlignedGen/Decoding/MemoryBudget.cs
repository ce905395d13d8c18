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

    private static readonly (string Suffix, long Factor)[] Units =
    {
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L), ("B", 1L),
    };

    /// <summary>
    /// Reads a size as people write one: bytes (<c>1073741824</c>) or a number with a unit — KiB, MiB, GiB, TiB (powers of
    /// 1024) or KB, MB, GB, TB (powers of 1000), case-insensitive, optional space, decimals allowed (<c>1.5GiB</c>). Throws
    /// <see cref="ArgumentException"/> naming the text and the forms, or <see cref="ArgumentOutOfRangeException"/> for a size
    /// that is not above 0.
    /// </summary>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        long factor = 1;
        foreach (var (suffix, unit) in Units)
        {
            if (!trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            trimmed = trimmed[..^suffix.Length].TrimEnd();
            factor = unit;
            break;
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            throw new ArgumentException($"'{text}' is not a size. Write bytes (1073741824) or a number with a unit: KiB, MiB, GiB, TiB (1024-based) or KB, MB, GB, TB (e.g. 8GiB, 512MiB).", nameof(text));
        decimal bytes = number * factor;
        if (bytes < 1)
            throw new ArgumentOutOfRangeException(nameof(text), text, $"The memory budget must be above 0 bytes, got '{text}'. Leave it out to use half the available memory, or give a size such as 4GiB.");
        return bytes >= long.MaxValue ? long.MaxValue : (long)decimal.Floor(bytes);
    }

    /// <summary>Bytes as "512 MiB" or "1.50 GiB" for messages.</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString(bytes >= 10L << 20 ? "F0" : "F1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The GC's limit for this process (physical memory or a container limit) less what the process already holds.</summary>
    private static long ContainerRoom() => Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet);
}
