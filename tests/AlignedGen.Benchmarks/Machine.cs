namespace AlignedGen.Benchmarks;

/// <summary>What the benchmarks print beside their numbers: the load of this shared machine and the process's memory.</summary>
internal static class Machine
{
    /// <summary>The 1/5/15-minute load averages (Linux), or "n/a": timings on a shared machine mean little without them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Resident set size now (VmRSS), in MiB; 0 where /proc is absent.</summary>
    public static double RssMiB() => Status("VmRSS:");

    /// <summary>Peak resident set size of the process so far (VmHWM), in MiB.</summary>
    public static double PeakRssMiB() => Status("VmHWM:");

    private static double Status(string key)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0]) / 1024.0;
    }
}
