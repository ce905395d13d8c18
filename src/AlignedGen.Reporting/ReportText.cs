using System.Globalization;
using System.Net;
using System.Text;
using AlignedGen.Evaluation;

namespace AlignedGen.Reporting;

/// <summary>Number formatting and HTML escaping for the report: invariant culture, "—" for what was not measured.</summary>
internal static class ReportText
{
    /// <summary>What a missing or non-finite value shows as.</summary>
    public const string Missing = "—";

    /// <summary>HTML-escapes text for element content and attribute values; control characters other than tab and newlines become U+FFFD.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
            clean.Append(char.IsControl(c) && c is not ('\n' or '\r' or '\t') ? '\uFFFD' : c);
        return WebUtility.HtmlEncode(clean.ToString());
    }

    /// <summary>The value to <paramref name="significant"/> significant digits (no exponent), or "—" when not finite.</summary>
    public static string Number(double value, int significant = 4) =>
        double.IsFinite(value) ? value.ToString("F" + Decimals(value, significant), CultureInfo.InvariantCulture) : Missing;

    /// <summary>A parameter value as written (up to 6 significant digits): "0.5", "1000".</summary>
    public static string Parameter(double value) =>
        double.IsFinite(value) ? value.ToString("G6", CultureInfo.InvariantCulture) : Missing;

    /// <summary>"mean ± SE" to 4 significant digits of the mean (SE to the same decimals), the mean alone when the SE is unknown, "—" when nothing was measured.</summary>
    public static string MeanWithError(MetricSummary summary)
    {
        if (!HasMean(summary)) return Missing;
        if (!double.IsFinite(summary.StandardError)) return Number(summary.Mean);
        var decimals = Math.Max(Decimals(summary.Mean, 4), Decimals(summary.StandardError, 2));
        var format = "F" + Math.Min(decimals, 10);
        return summary.Mean.ToString(format, CultureInfo.InvariantCulture) + " ± "
            + summary.StandardError.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>True when the summary has a finite mean over at least one value.</summary>
    public static bool HasMean(MetricSummary summary) => summary.Count > 0 && double.IsFinite(summary.Mean);

    /// <summary>The summary's SE, or 0 when unknown (one value), for error bars.</summary>
    public static double ErrorOrZero(MetricSummary summary) =>
        double.IsFinite(summary.StandardError) ? summary.StandardError : 0;

    /// <summary>A cost (tokens, calls, milliseconds): no decimals from 100 up, else 3 significant digits.</summary>
    public static string Cost(double value) =>
        !double.IsFinite(value) ? Missing
        : Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : Number(value, 3);

    /// <summary>"a, b and c"; "none" when empty.</summary>
    public static string List(IEnumerable<string> items)
    {
        var all = items.ToArray();
        return all.Length switch
        {
            0 => "none",
            1 => all[0],
            _ => string.Join(", ", all[..^1]) + " and " + all[^1],
        };
    }

    /// <summary>The text cut to <paramref name="maxCharacters"/> with an ellipsis when longer.</summary>
    public static string Truncate(string text, int maxCharacters) =>
        text.Length <= maxCharacters ? text : text[..(maxCharacters - 1)].TrimEnd() + "…";

    /// <summary>The text with its first letter upper-cased.</summary>
    public static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static int Decimals(double value, int significant)
    {
        if (value == 0 || !double.IsFinite(value)) return Math.Max(significant - 1, 0);
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return Math.Clamp(significant - 1 - magnitude, 0, 10);
    }
}
