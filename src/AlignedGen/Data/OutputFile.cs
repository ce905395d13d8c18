namespace AlignedGen.Data;

/// <summary>
/// The one place every surface (jobs, exports, the CLI, cmdlets, ML.NET savers) checks and writes an output file. Before
/// anything is opened for writing it refuses a folder, a path under a file, and an output that is the same file as any
/// input — compared by device and inode, so symbolic and hard links count. Files are written to
/// <c>&lt;output&gt;.tmp</c> and renamed into place (the folder fsync'd after the rename), so a failed or killed run never
/// leaves an empty or partial output; a temporary file left by a killed run is replaced by the next one.
/// </summary>
public static class OutputFile
{
    /// <summary>The suffix of the temporary file an output is written to before it is renamed into place.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>
    /// Checks that <paramref name="outputPath"/> can be written without harming any of <paramref name="inputPaths"/> (null
    /// entries are ignored); returns the full path that will be written (a symbolic link's final target). Throws
    /// <see cref="DataFileException"/> naming the output, the problem and the fix.
    /// </summary>
    public static string Check(string outputPath, IEnumerable<string?>? inputPaths = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var full = Path.GetFullPath(outputPath);
        if (Directory.Exists(full) || outputPath.EndsWith(Path.DirectorySeparatorChar) || outputPath.EndsWith(Path.AltDirectorySeparatorChar))
            throw new DataFileException(full, null, "is a folder, not a file.", "give a file path for the output, e.g. " + Path.Combine(outputPath, "out.jsonl") + ".");
        var target = FinalTarget(full);
        if (Directory.Exists(target))
            throw new DataFileException(full, null, $"is a link to the folder '{target}', not a file.", "give a file path for the output.");
        for (var parent = Path.GetDirectoryName(target); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) break;
            if (File.Exists(parent))
                throw new DataFileException(full, null, $"cannot be written: '{parent}' is a file, not a folder.", "choose an output path in a folder.");
        }
        foreach (var input in inputPaths ?? Array.Empty<string?>())
        {
            if (string.IsNullOrWhiteSpace(input)) continue;
            if (SameFile(input, target))
                throw new DataFileException(full, null,
                    $"is the same file as the input '{input}' (compared by device and inode, so links count); writing it would destroy the input.",
                    "write the output to another file.");
        }
        return target;
    }

    /// <summary>
    /// Checks the output (see <see cref="Check"/>), creates its folder and opens <c>&lt;output&gt;.tmp</c> for writing,
    /// exclusively: a second writer of the same output gets an error. <see cref="AtomicFile.Commit"/> renames it into place;
    /// disposing without committing deletes it.
    /// </summary>
    public static AtomicFile Create(string outputPath, IEnumerable<string?>? inputPaths = null)
    {
        var target = Check(outputPath, inputPaths);
        var temp = target + TempSuffix;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            return new AtomicFile(target, temp, stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(Path.GetFullPath(outputPath), null, $"cannot be written ({ex.Message}).",
                "choose a path in a folder you can write to; if another process is writing this output, wait for it or write elsewhere.", ex);
        }
    }

    /// <summary>True when both paths name one existing file (same device and inode; links followed).</summary>
    public static bool SameFile(string a, string b)
    {
        var fa = Path.GetFullPath(a);
        var fb = Path.GetFullPath(b);
        if (!File.Exists(fa) || !File.Exists(fb))
            return string.Equals(FinalTarget(fa), FinalTarget(fb), PathComparison);
        if (NativeFiles.Identity(fa) is { } ia && NativeFiles.Identity(fb) is { } ib) return ia == ib;
        return string.Equals(FinalTarget(fa), FinalTarget(fb), PathComparison);
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> and fsyncs the folder, so the rename is durable.</summary>
    public static void MoveIntoPlace(string source, string destination)
    {
        File.Move(source, destination, overwrite: true);
        NativeFiles.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    /// <summary>Deletes <paramref name="path"/>'s temporary file left by a killed run, unless another process holds it open for writing.</summary>
    public static void RemoveLeftoverTemp(string path)
    {
        var temp = FinalTarget(Path.GetFullPath(path)) + TempSuffix;
        if (!File.Exists(temp)) return;
        try
        {
            using (new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
            File.Delete(temp);
        }
        catch (IOException)
        {
            // In use by a live writer: it is that writer's to rename or delete.
        }
    }

    /// <summary>A path with its symbolic links (of the file itself) followed to the final target.</summary>
    private static string FinalTarget(string full)
    {
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is null) return full;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
