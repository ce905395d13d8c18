namespace AlignedGen.Benchmarks;

/// <summary>
/// Benchmark harness: each subcommand runs its variants side by side in one process and prints a table of
/// throughputs and ratios. Usage: dotnet run -c Release --project tests/AlignedGen.Benchmarks -- &lt;decode|args|darwin|relabel|mlnet|memory|scale|gpu|all&gt; [--quick]
/// (scale takes its own options: see <see cref="ScaleBenchmark"/>).
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<BenchmarkArgs, int>> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
#if !ALIGNEDGEN_GPU
        ["decode"] = DecodeBenchmark.Run, // onnxruntime-genai is referenced in the CPU flavour only
#endif
        ["args"] = ArgsBenchmark.Run,
        ["mlnet"] = MlNetBenchmark.Run,
        ["darwin"] = DarwinBenchmark.Run,
        ["relabel"] = RelabelBenchmark.Run,
        ["memory"] = MemoryBenchmark.Run,
        ["methods"] = MethodsBenchmark.Run,
        ["scale"] = ScaleBenchmark.Run,
    };

    /// <summary>Commands "all" leaves out: scale builds gigabyte-sized models and runs for a long time; run it on its own.</summary>
    private static readonly HashSet<string> NotInAll = new(StringComparer.OrdinalIgnoreCase) { "scale" };

    /// <summary>Commands left out of "all": they need hardware this machine may not have.</summary>
    private static readonly Dictionary<string, Func<BenchmarkArgs, int>> HardwareCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpu"] = GpuCheck.Run, // CUDA device 0 and the GPU flavour: build/gpu-check.sh
    };

    public static int Main(string[] args)
    {
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
        var parsed = BenchmarkArgs.Parse(args);
        if (parsed.Command is not null && HardwareCommands.TryGetValue(parsed.Command, out var hardware))
            return parsed.SharedPath is null ? Fail("gpu: ../shared is absent; set --shared PATH or ALIGNEDGEN_SHARED.") : hardware(parsed);
        if (parsed.Command is null || (parsed.Command != "all" && !Commands.ContainsKey(parsed.Command)))
        {
            Console.Error.WriteLine($"usage: AlignedGen.Benchmarks <{string.Join("|", Commands.Keys.Concat(HardwareCommands.Keys))}|all> [--quick] [--shared PATH]");
            return 2;
        }
        if (parsed.SharedPath is null)
        {
            Console.WriteLine("SKIP: ../shared is absent (the benchmarks need its real models); set --shared PATH or ALIGNEDGEN_SHARED.");
            return 0;
        }
        int rc = 0;
        foreach (var (name, run) in Commands)
            if ((parsed.Command == "all" && !NotInAll.Contains(name)) || parsed.Command.Equals(name, StringComparison.OrdinalIgnoreCase))
                rc |= run(parsed);
        return rc;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
