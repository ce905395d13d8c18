namespace AlignedGen.Data;

/// <summary>
/// One record of an input file cannot be parsed (invalid JSON or UTF-8, an undecodable escape, a repeated key, a CSV row
/// with the wrong number of fields, a bad quote). When <see cref="CanContinue"/> is true the reader has moved past the
/// record and the next Read continues after it.
/// </summary>
public sealed class CorruptRecordException : DataFileException
{
    public CorruptRecordException(string path, long lineNumber, string problem, string? recordText, bool canContinue, Exception? inner = null, string? fix = null)
        : base(path, lineNumber, problem,
            fix ?? (canContinue
                ? "repair or delete that line, or skip bad records (RelabelOptions.SkipBadRecords = true)."
                : "repair the file; reading cannot continue past this point."),
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

    /// <summary>The start of a record's bytes as text for <see cref="RecordText"/> (invalid UTF-8 shown as U+FFFD).</summary>
    internal static string Excerpt(ReadOnlySpan<byte> utf8) =>
        Excerpt(System.Text.Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 800)]))!;
}
