namespace AlignedGen.Data;

/// <summary>
/// One record of an input file cannot be parsed (invalid JSON, a CSV row with the wrong number of fields, a bad quote).
/// When <see cref="CanContinue"/> is true the reader has moved past the record and the next Read continues after it.
/// </summary>
public sealed class CorruptRecordException : DataFileException
{
    public CorruptRecordException(string path, long lineNumber, string problem, string? recordText, bool canContinue, Exception? inner = null)
        : base(path, lineNumber, problem,
            canContinue
                ? "repair or delete that line, or skip bad records (RelabelOptions.SkipBadRecords = true)."
                : "repair the file; reading cannot continue past this point.",
            inner)
    {
        RecordText = recordText;
        CanContinue = canContinue;
    }

    /// <summary>The start of the offending text (at most 200 characters), when available.</summary>
    public string? RecordText { get; }

    /// <summary>True when the reader can go on with the next record.</summary>
    public bool CanContinue { get; }

    internal static string? Excerpt(string? text) => text is null ? null : text.Length <= 200 ? text : text[..200] + "...";
}
