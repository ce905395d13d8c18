namespace AlignedGen.Cli.Progress;

/// <summary>Picks the display for a run from `--progress`, `--quiet` and whether stderr is a terminal.</summary>
public static class ProgressDisplays
{
    public static IProgressDisplay Create(CliConsole console, ProgressMode mode, bool quiet, string activity, string unit)
    {
        if (quiet || mode == ProgressMode.None) return new SilentProgressDisplay();
        if (mode == ProgressMode.Live || (mode == ProgressMode.Auto && console.ErrorIsTerminal))
            return new LiveProgressDisplay(console.Error, activity, unit);
        return new PlainProgressDisplay(console.Error, activity, unit, console.PlainProgressInterval);
    }
}
