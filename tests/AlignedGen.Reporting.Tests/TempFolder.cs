namespace AlignedGen.Reporting.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose (KEEP_REPORTS=1 keeps it for a look).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "report")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"alignedgen-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KEEP_REPORTS") == "1") return;
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
