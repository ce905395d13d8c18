namespace AlignedGen.Models;

/// <summary>
/// How many intra-op threads a session gets when <see cref="ExecutionOptions.IntraOpThreads"/> is 0. A step of a small
/// model is per-call overhead and runs best on one thread; a step of a large one reads every weight once and runs best
/// with one thread per physical core (hyper-threads share a core's memory path, and ONNX Runtime's workers spin, so one
/// per logical processor only adds contention). Bounded by <see cref="Environment.ProcessorCount"/>, which honours the
/// process's affinity and a container's CPU quota.
/// </summary>
public static class IntraOpThreadPolicy
{
    /// <summary>The default for a model whose weights take <paramref name="weightBytes"/> bytes.</summary>
    public static int For(long weightBytes) => For(weightBytes, PhysicalCores());

    /// <summary>The default for a model of <paramref name="weightBytes"/> on a machine with <paramref name="physicalCores"/> usable cores.</summary>
    public static int For(long weightBytes, int physicalCores) =>
        weightBytes >= AlignedGenDefaults.WeightBoundModelBytes ? Math.Clamp(physicalCores, 1, AlignedGenDefaults.MaxDefaultIntraOpThreads) : 1;

    /// <summary>
    /// Physical cores this process may use: on Linux the distinct (package, core) pairs of the online CPUs, at most
    /// <see cref="Environment.ProcessorCount"/>; elsewhere, or when the topology cannot be read, half the logical
    /// processors (two hyper-threads per core is the common case there).
    /// </summary>
    public static int PhysicalCores()
    {
        int logical = Environment.ProcessorCount;
        int? cores = OperatingSystem.IsLinux() ? CountLinuxCores("/sys/devices/system/cpu") : null;
        return Math.Max(1, Math.Min(logical, cores ?? logical / 2));
    }

    /// <summary>
    /// Distinct (physical_package_id, core_id) pairs over the CPUs listed in <c>online</c> under
    /// <paramref name="cpuRoot"/> (sysfs layout); null when any of it is missing or unreadable.
    /// </summary>
    internal static int? CountLinuxCores(string cpuRoot)
    {
        try
        {
            var online = ParseCpuList(File.ReadAllText(Path.Combine(cpuRoot, "online")));
            if (online.Count == 0) return null;
            var cores = new HashSet<(string Package, string Core)>();
            foreach (int cpu in online)
            {
                var topology = Path.Combine(cpuRoot, $"cpu{cpu}", "topology");
                cores.Add((File.ReadAllText(Path.Combine(topology, "physical_package_id")).Trim(), File.ReadAllText(Path.Combine(topology, "core_id")).Trim()));
            }
            return cores.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Reads a kernel CPU list such as <c>0-3,8,10-11</c>.</summary>
    internal static List<int> ParseCpuList(string text)
    {
        var cpus = new List<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0) { cpus.Add(int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)); continue; }
            int first = int.Parse(part[..dash], System.Globalization.CultureInfo.InvariantCulture);
            int last = int.Parse(part[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (last < first) throw new FormatException($"CPU range '{part}' runs backwards.");
            for (int c = first; c <= last; c++) cpus.Add(c);
        }
        return cpus;
    }

    /// <summary>Bytes of an ONNX file and its external-data files beside it (<c>model.onnx.data</c>, <c>model.onnx_data</c>, …).</summary>
    public static long WeightBytes(string modelPath)
    {
        var file = new FileInfo(modelPath);
        long total = file.Exists ? file.Length : 0;
        if (file.Directory is { Exists: true } folder)
            foreach (var sibling in folder.EnumerateFiles(file.Name + "*"))
                if (sibling.Name.Length > file.Name.Length) total += sibling.Length;
        return total;
    }
}
