namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// The module's words for the core's phrases that name C# options (<see cref="SurfaceWording.CorePhrases"/>): a
/// cmdlet's message names cmdlet parameters. <see cref="ErrorRecordFactory"/> puts every core message through it.
/// </summary>
public static class ModuleWording
{
    /// <summary>The module's wording of core messages.</summary>
    public static SurfaceWording Wording { get; } = new(new Dictionary<string, string>
    {
        ["map the job to the file's column names (ColumnMap: Id, Prompt, Response, Reference, PromptId; set Id = null to identify rows by content)"] =
            "name the file's columns with -IdColumn, -PromptColumn, -ResponseColumn, -ReferenceColumn, -PromptIdColumn or -ScoreColumn (-IdColumn none identifies rows by content)",
        ["skip bad records (RelabelOptions.SkipBadRecords = true)"] = "pass -SkipBadRecords",
        ["RelabelOptions.SkipBadRecords = true"] = "-SkipBadRecords",
        ["set RelabelOptions.Resume = false"] = "pass -Force",
        ["RelabelOptions.Resume = false"] = "-Force",
        ["set RelabelOptions.Strict = false"] = "pass -Strict:$false",
        ["RelabelOptions.Strict = false"] = "-Strict:$false",
        ["set ColumnMap.Id = null to identify rows by content"] = "pass -IdColumn none to identify rows by content",
        ["ColumnMap.Id = null"] = "-IdColumn none",
        ["choose another OutputPath"] = "choose another -OutputPath",
        ["or set ScoreColumn to the column holding the scores"] = "or name the column holding the scores with -ScoreColumn",
        ["or set ScoreColumn"] = "or pass -ScoreColumn",
        ["relabel the file first (RelabelJob writes one score per response)"] = "relabel the file first (Invoke-RewardRelabel writes one score per response)",
        ["relabel the file first (RelabelJob)"] = "relabel the file first (Invoke-RewardRelabel)",
        ["set RelabelOptions.OutputFormat, or use"] = "use",
        ["set RelabelOptions.InputFormat, or use"] = "use",
        ["pass the format explicitly"] = "rename the file",
        ["the memory budget (GenerationOptions.MemoryBudgetBytes)"] = "the memory budget (-MemoryBudget)",
        ["the new tokens (GenerationOptions.MaxNewTokens)"] = "-MaxNewTokens",
    });
}
