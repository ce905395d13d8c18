namespace AlignedGen.Cli.Progress;

/// <summary>`--quiet` / `--progress none`: shows nothing.</summary>
public sealed class SilentProgressDisplay : IProgressDisplay
{
    public void Report(ProgressSnapshot value) { }

    public void Dispose() { }
}
