namespace AlignedGen.Reporting;

/// <summary>The report's folder cannot be created or written. The message names the path, the problem and the fix.</summary>
public sealed class ReportFolderException : IOException
{
    /// <summary>A folder failure at <paramref name="path"/>.</summary>
    public ReportFolderException(string path, string problem, string fix, Exception? inner = null)
        : base($"{path}: {problem} Fix: {fix}", inner)
    {
        Path = path;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The folder or file at fault.</summary>
    public string Path { get; }
    /// <summary>What went wrong.</summary>
    public string Problem { get; }
    /// <summary>How to fix it.</summary>
    public string Fix { get; }
}
