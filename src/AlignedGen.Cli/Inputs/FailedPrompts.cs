using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;

namespace AlignedGen.Cli.Inputs;

/// <summary>
/// The prompts a streaming generate run could not generate: beside an --output file, OUTPUT.errors.jsonl ({id, error}
/// per failed prompt, written atomically, like the generation job's); on stdout runs, one warning line each on stderr.
/// </summary>
public static class FailedPrompts
{
    /// <summary>Reports <paramref name="failed"/>; returns the side file's path, or null when they went to <paramref name="error"/>.</summary>
    public static string? Report(IReadOnlyList<GenerationResult> failed, string? outputPath, TextWriter error)
    {
        if (outputPath is null)
        {
            foreach (var r in failed) error.WriteLine($"warning: prompt '{r.Id}' could not be generated: {CliFixes.Translate(r.Error ?? "")}");
            return null;
        }
        var path = Path.GetFullPath(outputPath) + ".errors.jsonl";
        using var writer = RecordFiles.CreateAtomicWriter(path, RecordFormat.Jsonl);
        writer.Write(failed.Select(r => new DataRow { [ResultColumns.Id] = r.Id, [ResultColumns.Error] = r.Error is null ? null : CliFixes.Translate(r.Error) }).ToArray());
        writer.Commit();
        return path;
    }
}
