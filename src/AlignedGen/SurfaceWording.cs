namespace AlignedGen;

/// <summary>
/// The core's messages and fixes serve every surface, so where they point at a setting they name the C# option
/// (<c>RelabelOptions.SkipBadRecords = true</c>, <c>ColumnMap</c>). A surface shows them in its own terms: it builds one
/// <see cref="SurfaceWording"/> with its words for every phrase of <see cref="CorePhrases"/> (the CLI: options such as
/// <c>--skip-bad-records</c>; the PowerShell module: parameters such as <c>-SkipBadRecords</c>) and passes messages
/// through <see cref="Translate"/> or <see cref="MessageOf"/>. A surface that misses a phrase fails at construction,
/// so a new core phrase cannot reach users in C# terms unnoticed.
/// </summary>
public sealed class SurfaceWording
{
    /// <summary>
    /// Every phrase of a core message that names a C# option or type. When the core adds a message naming an option,
    /// its phrase goes here, and every surface words it.
    /// </summary>
    public static IReadOnlyList<string> CorePhrases { get; } = new[]
    {
        "map the job to the file's column names (ColumnMap: Id, Prompt, Response, Reference, PromptId; set Id = null to identify rows by content)",
        "skip bad records (RelabelOptions.SkipBadRecords = true)",
        "RelabelOptions.SkipBadRecords = true",
        "set RelabelOptions.Resume = false",
        "RelabelOptions.Resume = false",
        "set RelabelOptions.Strict = false",
        "RelabelOptions.Strict = false",
        "set ColumnMap.Id = null to identify rows by content",
        "ColumnMap.Id = null",
        "choose another OutputPath",
        "or set ScoreColumn to the column holding the scores",
        "or set ScoreColumn",
        "relabel the file first (RelabelJob writes one score per response)",
        "relabel the file first (RelabelJob)",
        "set RelabelOptions.OutputFormat, or use",
        "set RelabelOptions.InputFormat, or use",
        "pass the format explicitly",
        "the memory budget (GenerationOptions.MemoryBudgetBytes)",
        "the new tokens (GenerationOptions.MaxNewTokens)",
    };

    private readonly (string Core, string Surface)[] _phrases;

    /// <summary>
    /// A wording with <paramref name="words"/>[phrase] for every phrase of <see cref="CorePhrases"/>. Throws
    /// <see cref="ArgumentException"/> naming the phrases that have no wording, or wordings of unknown phrases.
    /// </summary>
    public SurfaceWording(IReadOnlyDictionary<string, string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var missing = CorePhrases.Where(p => !words.ContainsKey(p)).ToArray();
        var unknown = words.Keys.Except(CorePhrases, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || unknown.Length > 0)
            throw new ArgumentException(
                (missing.Length > 0 ? $"No wording for the core phrase(s) {string.Join("; ", missing.Select(p => $"\"{p}\""))}. " : "")
                + (unknown.Length > 0 ? $"Wording for phrase(s) the core does not write: {string.Join("; ", unknown.Select(p => $"\"{p}\""))}. " : "")
                + "Fix: give one wording for each phrase of SurfaceWording.CorePhrases.", nameof(words));
        // Longest first, so a phrase is replaced whole before a phrase it contains.
        _phrases = CorePhrases.OrderByDescending(p => p.Length).Select(p => (p, words[p])).ToArray();
    }

    /// <summary><paramref name="text"/> with every core phrase replaced by this surface's words.</summary>
    public string Translate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (core, surface) in _phrases) text = text.Replace(core, surface, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The message of <paramref name="exception"/> in this surface's words, without .NET's parameter trailers (<see cref="PlainMessage"/>).</summary>
    public string MessageOf(Exception exception) => Translate(PlainMessage(exception));

    /// <summary>
    /// The core's own words of an exception's message, without .NET's " (Parameter 'topK')" and "Actual value was 0."
    /// trailers, which name C# parameters the user never typed.
    /// </summary>
    public static string PlainMessage(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (exception is ArgumentOutOfRangeException { ActualValue: not null } range)
        {
            var trailer = Environment.NewLine + $"Actual value was {range.ActualValue}.";
            if (message.EndsWith(trailer, StringComparison.Ordinal)) message = message[..^trailer.Length];
        }
        if (exception is ArgumentException { ParamName: { } name })
        {
            var trailer = $" (Parameter '{name}')";
            if (message.EndsWith(trailer, StringComparison.Ordinal)) message = message[..^trailer.Length];
        }
        return message.Trim();
    }
}
