namespace AlignedGen.PowerShell.Json;

/// <summary>A line of a JSON Lines file is not valid JSON (or not usable as a PowerShell object). Names the file and the line.</summary>
public sealed class CorruptJsonLineException : FormatException
{
    public CorruptJsonLineException(string path, long lineNumber, string problem, Exception? inner = null)
        : base($"{path}:{lineNumber}: {problem} Fix: correct or remove line {lineNumber}; every line must hold one JSON value.", inner)
    {
        Path = path;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file holding the bad line.</summary>
    public string Path { get; }

    /// <summary>1-based line number.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with the line.</summary>
    public string Problem { get; }

    /// <summary>"path:line", the ErrorRecord's target.</summary>
    public string Location => $"{Path}:{LineNumber}";
}
