using System.Globalization;
using AlignedGen.Evaluation;

namespace AlignedGen.PowerShell.Evaluation;

/// <summary>
/// Cell texts of the StrategySummary table view (AlignedGen.Format.ps1xml): "mean ± SE", win/tie/loss with its score,
/// costs. A value that was not measured shows as "-". Current culture, as PowerShell formats numbers.
/// </summary>
public static class SummaryCells
{
    /// <summary>"mean ± SE" with <paramref name="decimals"/> decimals; just the mean when the SE does not exist (one value); "-" when nothing was measured.</summary>
    public static string MeanSe(MetricSummary? summary, int decimals = 2)
    {
        if (summary is null || summary.Count == 0 || double.IsNaN(summary.Mean)) return "-";
        var mean = summary.Mean.ToString("F" + decimals, CultureInfo.CurrentCulture);
        return double.IsNaN(summary.StandardError) ? mean : $"{mean} ± {summary.StandardError.ToString("F" + decimals, CultureInfo.CurrentCulture)}";
    }

    /// <summary>The mean with <paramref name="decimals"/> decimals, or "-" when nothing was measured.</summary>
    public static string Mean(MetricSummary? summary, int decimals = 2) =>
        summary is null || summary.Count == 0 || double.IsNaN(summary.Mean) ? "-" : summary.Mean.ToString("F" + decimals, CultureInfo.CurrentCulture);

    /// <summary>"W/T/L (score)" against the baseline; "baseline" for the baseline row (Compare-DecodingStrategy marks it with an IsBaseline note property), "-" without a held-out reward.</summary>
    public static string Versus(StrategySummary summary, bool isBaseline = false)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.VersusBaseline is { } v)
            return $"{v.Wins}/{v.Ties}/{v.Losses} ({v.Score.ToString("F2", CultureInfo.CurrentCulture)})";
        return isBaseline ? "baseline" : "-";
    }

    /// <summary>A cost with no decimals and digit grouping (1,039).</summary>
    public static string Cost(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.CurrentCulture) : "-";
}
