namespace AlignedGen.Cli;

/// <summary>
/// The core's fixes name C# properties (it serves every surface); on the command line they name options. The CLI's
/// words for each of the core's phrases (<see cref="SurfaceWording.CorePhrases"/>).
/// </summary>
public static class CliFixes
{
    /// <summary>The CLI's wording of core messages.</summary>
    public static SurfaceWording Wording { get; } = new(new Dictionary<string, string>
    {
        ["map the job to the file's column names (ColumnMap: Id, Prompt, Response, Reference, PromptId; set Id = null to identify rows by content)"] =
            "name the file's columns with --id-column, --prompt-column, --response-column, --reference-column, --prompt-id-column or --score-column (--id-column none identifies rows by content)",
        ["skip bad records (RelabelOptions.SkipBadRecords = true)"] = "pass --skip-bad-records",
        ["RelabelOptions.SkipBadRecords = true"] = "--skip-bad-records",
        ["set RelabelOptions.Resume = false"] = "pass --force",
        ["RelabelOptions.Resume = false"] = "--force",
        ["set RelabelOptions.Strict = false"] = "pass --lenient",
        ["RelabelOptions.Strict = false"] = "--lenient",
        ["set ColumnMap.Id = null to identify rows by content"] = "pass --id-column none to identify rows by content",
        ["ColumnMap.Id = null"] = "--id-column none",
        ["choose another OutputPath"] = "choose another --output",
        ["or set ScoreColumn to the column holding the scores"] = "or name the column holding the scores with --score-column",
        ["or set ScoreColumn"] = "or pass --score-column",
        ["relabel the file first (RelabelJob writes one score per response)"] = "relabel the file first ('aligngen relabel' writes one score per response)",
        ["relabel the file first (RelabelJob)"] = "relabel the file first ('aligngen relabel')",
        ["set RelabelOptions.OutputFormat, or use"] = "use",
        ["set RelabelOptions.InputFormat, or use"] = "use",
        ["pass the format explicitly"] = "rename the file",
        ["the memory budget (GenerationOptions.MemoryBudgetBytes)"] = "the memory budget (--memory-budget)",
        ["the new tokens (GenerationOptions.MaxNewTokens)"] = "--max-new-tokens",
    });

    /// <summary><paramref name="text"/> with every core phrase replaced by the CLI's.</summary>
    public static string Translate(string text) => Wording.Translate(text);
}
