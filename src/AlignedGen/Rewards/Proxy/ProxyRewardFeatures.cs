using System.Text;
using System.Text.RegularExpressions;

namespace AlignedGen.Rewards;

/// <summary>
/// The white-box features of Kim &amp; Seo's proxy reward ("Rethinking the Role of Proxy Rewards in Language Model
/// Alignment", EMNLP 2024), each usable on its own: text preparation, length incentive (LI), repetition penalty (RP),
/// relevance (Rel) and the two reward formulas. Words are <c>nltk.wordpunct_tokenize</c> tokens (regex <c>\w+|[^\w\s]+</c>),
/// as in the authors' code.
/// </summary>
public static partial class ProxyRewardFeatures
{
    /// <summary>Markers at which <see cref="PrepareText"/> cuts a response: template roles (Alpaca, HH) and the authors' blank-line / rule separators.</summary>
    public static IReadOnlyList<string> DefaultStopMarkers { get; } = new[]
    {
        "### Instruction:", "### Input:", "### Response:", "\n\nHuman:", "\n\nAssistant:", "\n\n\n\n", "\n\n--", "\n\n____",
    };

    /// <summary>Role markers removed from a prompt by <see cref="ExtractQuery"/>.</summary>
    public static IReadOnlyList<string> DefaultRoleMarkers { get; } = new[]
    {
        "### Instruction:", "### Input:", "### Response:", "Human:", "Assistant:",
    };

    /// <summary>Default maximum sequence length of the constrained formula (the authors' 512).</summary>
    public const int DefaultMaxSequenceLength = 512;

    /// <summary>Default upper end of the relevance range mapped onto [0, max length / 100] in the constrained formula (the authors' 3.5).</summary>
    public const double DefaultRelevanceScale = 3.5;

    /// <summary>
    /// Trims spaces and newlines at both ends, cuts the text at the earliest stop marker (the model starting a new turn,
    /// a run of blank lines, a rule) and trims again. <paramref name="stopMarkers"/> null = <see cref="DefaultStopMarkers"/>.
    /// </summary>
    public static string PrepareText(string response, IReadOnlyList<string>? stopMarkers = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        stopMarkers ??= DefaultStopMarkers;
        var text = response.Trim(TrimChars);
        var cut = -1;
        foreach (var marker in stopMarkers)
        {
            if (string.IsNullOrEmpty(marker)) continue;
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        return cut < 0 ? text : text[..cut].Trim(TrimChars);
    }

    /// <summary>The prompt without template role markers, whitespace collapsed: what the relevance of an open-ended answer is measured against.</summary>
    public static string ExtractQuery(string prompt, IReadOnlyList<string>? roleMarkers = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        roleMarkers ??= DefaultRoleMarkers;
        var sb = new StringBuilder(prompt);
        foreach (var marker in roleMarkers)
        {
            if (!string.IsNullOrEmpty(marker)) sb.Replace(marker, " ");
        }
        return WhitespaceRun().Replace(sb.ToString(), " ").Trim();
    }

    /// <summary>The words of a text: <c>\w+|[^\w\s]+</c> tokens (letters/digits runs and punctuation runs), as nltk.wordpunct_tokenize.</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = WordPunct().Matches(text);
        var words = new string[matches.Count];
        for (var i = 0; i < words.Length; i++) words[i] = matches[i].Value;
        return words;
    }

    /// <summary>Number of <see cref="Words"/> in a text, without allocating them.</summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in WordPunct().EnumerateMatches(text)) count++;
        return count;
    }

    /// <summary>LI = words / 100.</summary>
    public static double LengthIncentive(string text) => CountWords(text) / 100.0;

    /// <summary>RP = unique word 3-grams / all word 3-grams, or 1 when the text has fewer than three words.</summary>
    public static double RepetitionPenalty(string text) => RepetitionPenalty(Words(text));

    /// <summary>RP over already split words.</summary>
    public static double RepetitionPenalty(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var total = words.Count - 2;
        if (total <= 0) return 1.0;
        var unique = new HashSet<(string, string, string)>();
        for (var i = 0; i < total; i++) unique.Add((words[i], words[i + 1], words[i + 2]));
        return unique.Count / (double)total;
    }

    /// <summary>Rel(a, b) = cosine similarity of two embeddings (need not be unit length; 0 when either is all zeros).</summary>
    public static double Relevance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Embeddings differ in length ({a.Length} vs {b.Length}).", nameof(b));
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Open-ended question: R = RP · LI · Rel(query, response).</summary>
    public static double OpenEndedReward(double repetitionPenalty, double lengthIncentive, double relevance)
        => repetitionPenalty * lengthIncentive * relevance;

    /// <summary>Constrained question (reference answer known): R = RP · Rel(reference, response) / relevanceScale · (maxSequenceLength / 100).</summary>
    public static double ConstrainedReward(double repetitionPenalty, double relevanceToReference,
        int maxSequenceLength = DefaultMaxSequenceLength, double relevanceScale = DefaultRelevanceScale)
        => repetitionPenalty * (relevanceToReference / relevanceScale) * (maxSequenceLength / 100.0);

    private static readonly char[] TrimChars = { '\n', ' ' };

    [GeneratedRegex(@"\w+|[^\w\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPunct();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRun();
}
