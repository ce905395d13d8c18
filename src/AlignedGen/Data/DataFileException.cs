namespace AlignedGen.Data;

/// <summary>
/// A data file cannot be read or written: it is missing, unwritable, holds a corrupt record or lacks columns. The message
/// names the file, the line (when one is at fault), the problem and the fix.
/// </summary>
public class DataFileException : Exception
{
    public DataFileException(string path, long? lineNumber, string problem, string fix, Exception? inner = null)
        : base($"{path}{(lineNumber is null ? "" : $", line {lineNumber}")}: {problem} Fix: {fix}", inner)
    {
        Path = path;
        LineNumber = lineNumber;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file at fault.</summary>
    public string Path { get; }

    /// <summary>1-based line (JSONL, CSV: where the record starts) or row number (Parquet) at fault, when one is.</summary>
    public long? LineNumber { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>How to fix it.</summary>
    public string Fix { get; }
}
