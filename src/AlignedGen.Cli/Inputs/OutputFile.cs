namespace AlignedGen.Cli.Inputs;

/// <summary>The rule every command that writes a file follows: an existing output is kept unless --resume or --force says otherwise.</summary>
public static class OutputFile
{
    /// <summary>Throws a usage error when <paramref name="path"/> exists and neither flag was given.</summary>
    public static void CheckWritable(string path, bool resume, bool force, bool canResume = true)
    {
        if (resume && force)
            throw new CliUsageException("--resume and --force contradict each other: --resume keeps the output's rows, --force replaces the output. Pass one.");
        if (!AlignedGen.Jobs.DatasetJobOptions.OutputExists(path) || resume || force) return;
        var what = canResume ? "pass --resume to continue it, or --force to overwrite it" : "pass --force to overwrite it";
        throw new CliUsageException($"{path}: the output exists. Fix: {what}, or choose another --output.");
    }
}
