namespace AlignedGen.Benchmarks;

/// <summary>Command line of the benchmark harness.</summary>
public sealed record BenchmarkArgs(string? Command, bool Quick, string? SharedPath)
{
    /// <summary>Every argument as given (for options only one benchmark reads).</summary>
    public IReadOnlyList<string> Raw { get; init; } = [];

    /// <summary>The value after <c>--name</c>, or <paramref name="fallback"/> when absent.</summary>
    public string Option(string name, string fallback)
    {
        int i = Raw.ToList().IndexOf("--" + name);
        return i >= 0 && i + 1 < Raw.Count ? Raw[i + 1] : fallback;
    }

    /// <summary>A comma-separated option as a list.</summary>
    public string[] ListOption(string name, string fallback) =>
        Option(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static BenchmarkArgs Parse(string[] args)
    {
        string? command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        bool quick = args.Contains("--quick");
        int i = Array.IndexOf(args, "--shared");
        string? shared = i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable("ALIGNEDGEN_SHARED");
        shared ??= FindShared();
        return new BenchmarkArgs(command, quick, shared is not null && Directory.Exists(shared) ? Path.GetFullPath(shared) : null) { Raw = args };
    }

    public string Model(string name) => Path.Combine(SharedPath!, "models", name);
    public string Data(string name) => Path.Combine(SharedPath!, "data", name);

    private static string? FindShared()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
        if (dir is null) return null;
        var candidate = Path.Combine(dir.FullName, "..", "shared");
        return Directory.Exists(candidate) ? candidate : null;
    }
}
