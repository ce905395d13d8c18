namespace AlignedGen.Cli.Progress;

/// <summary>How progress is shown (`--progress`).</summary>
public enum ProgressMode
{
    /// <summary>Live on an interactive terminal, plain when stderr is redirected.</summary>
    Auto,
    /// <summary>A live bar redrawn in place (rows done / total, rate, ETA).</summary>
    Live,
    /// <summary>One plain line every few seconds and a last line at the end (logs, CI).</summary>
    Plain,
    /// <summary>Nothing.</summary>
    None,
}
