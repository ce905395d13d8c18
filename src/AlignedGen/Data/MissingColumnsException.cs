namespace AlignedGen.Data;

/// <summary>A file or one of its rows lacks columns that the job needs. Lists the columns found and the ones expected.</summary>
public sealed class MissingColumnsException : DataFileException
{
    public MissingColumnsException(string path, long? lineNumber, IReadOnlyList<string> missing, IReadOnlyList<string> expected, IReadOnlyList<string> found)
        : base(path, lineNumber,
            $"missing column(s) {Quote(missing)}; expected {Quote(expected)}; found {(found.Count == 0 ? "no columns" : Quote(found))}.",
            "map the job to the file's column names (ColumnMap: Id, Prompt, Response, Reference, PromptId; set Id = null to identify rows by content), or add the columns to the file.")
    {
        Missing = missing;
        Expected = expected;
        Found = found;
    }

    /// <summary>Expected columns that are absent.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>All columns the job expects.</summary>
    public IReadOnlyList<string> Expected { get; }

    /// <summary>Columns the file (header, schema) or row has.</summary>
    public IReadOnlyList<string> Found { get; }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
