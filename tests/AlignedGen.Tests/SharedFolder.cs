using Xunit;

namespace AlignedGen.Tests;

/// <summary>
/// Locates ../shared (real models and data) relative to the repository root, or $ALIGNEDGEN_SHARED.
/// Tests that need it call <see cref="Require"/>, which skips the test with a printed reason when it is absent.
/// </summary>
public static class SharedFolder
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Path => Root.Value;

    public static bool Available => Root.Value is not null;

    public static string SkipReason => "../shared is absent (a fresh clone has no shared/ folder; set ALIGNEDGEN_SHARED to its path)";

    /// <summary>Skips the calling test when ../shared is missing; returns the absolute path of a file or folder inside it.</summary>
    public static string Require(params string[] parts)
    {
        Skip.If(Root.Value is null, SkipReason);
        var path = System.IO.Path.Combine(new[] { Root.Value! }.Concat(parts).ToArray());
        Skip.If(!File.Exists(path) && !Directory.Exists(path), $"{path} is absent from shared/");
        return path;
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("ALIGNEDGEN_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
