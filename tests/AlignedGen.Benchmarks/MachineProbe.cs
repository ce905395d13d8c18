namespace AlignedGen.Benchmarks;

/// <summary>What the shared machine is doing (load averages) and how much memory this process holds at its peak (Linux /proc).</summary>
public static class MachineProbe
{
    /// <summary>The 1/5/15-minute load averages, or "n/a": timings on a shared machine mean little without them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The 1-minute load average as a number (NaN where unknown).</summary>
    public static double LoadOneMinute() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    /// <summary>Resets the process's peak resident set (VmHWM) to its current size, so the next reading is the peak of what follows.</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Peak resident set since the last <see cref="ResetPeak"/> (VmHWM), in bytes; 0 where unknown.</summary>
    public static long PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Resident memory now, in MiB (VmRSS).</summary>
    public static double RssMiB() => StatusKilobytes("VmRSS:") / 1024.0;

    /// <summary>Peak resident memory of the process so far, in MiB (VmHWM).</summary>
    public static double PeakRssMiB() => StatusKilobytes("VmHWM:") / 1024.0;

    private static long StatusKilobytes(string key)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes as "1.23 GiB" / "456 MiB".</summary>
    public static string Bytes(long bytes) => bytes >= 1L << 30
        ? $"{bytes / (double)(1L << 30):F2} GiB"
        : $"{bytes / (double)(1L << 20):F0} MiB";
}
