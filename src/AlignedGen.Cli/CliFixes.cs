namespace AlignedGen.Cli;

/// <summary>
/// The core's fixes name C# properties (it serves every surface); on the command line they should name options.
/// Each pair maps a phrase of a core fix onto the CLI's own words.
/// </summary>
public static class CliFixes
{
    private static readonly (string Core, string Cli)[] Phrases =
    {
        ("map the job to the file's column names (ColumnMap: Id, Prompt, Response, Reference, PromptId; set Id = null to identify rows by content)",
            "name the file's columns with --id-column, --prompt-column, --response-column, --reference-column, --prompt-id-column or --score-column (--id-column none identifies rows by content)"),
        ("skip bad records (RelabelOptions.SkipBadRecords = true)", "pass --skip-bad-records"),
        ("RelabelOptions.SkipBadRecords = true", "--skip-bad-records"),
        ("set RelabelOptions.Resume = false", "pass --force"),
        ("RelabelOptions.Resume = false", "--force"),
        ("set RelabelOptions.Strict = false", "pass --lenient"),
        ("RelabelOptions.Strict = false", "--lenient"),
        ("set ColumnMap.Id = null to identify rows by content", "pass --id-column none to identify rows by content"),
        ("ColumnMap.Id = null", "--id-column none"),
        ("choose another OutputPath", "choose another --output"),
        ("or set ScoreColumn to the column holding the scores", "or name the column holding the scores with --score-column"),
        ("or set ScoreColumn", "or pass --score-column"),
        ("relabel the file first (RelabelJob writes one score per response)", "relabel the file first ('aligngen relabel' writes one score per response)"),
        ("relabel the file first (RelabelJob)", "relabel the file first ('aligngen relabel')"),
        ("set RelabelOptions.OutputFormat, or use", "use"),
        ("set RelabelOptions.InputFormat, or use", "use"),
        ("pass the format explicitly", "rename the file"),
    };

    /// <summary><paramref name="text"/> with every core phrase replaced by the CLI's.</summary>
    public static string Translate(string text)
    {
        foreach (var (core, cli) in Phrases) text = text.Replace(core, cli, StringComparison.Ordinal);
        return text;
    }
}
