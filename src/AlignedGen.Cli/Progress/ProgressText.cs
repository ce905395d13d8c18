using System.Globalization;

namespace AlignedGen.Cli.Progress;

/// <summary>How counts, rates and durations read in progress lines: "1,234/4,000 rows", "56.2 rows/s", "1m05s".</summary>
public static class ProgressText
{
    public static string Count(long done, long? total, string unit) => total is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{t:N0} {unit}")
        : string.Create(CultureInfo.InvariantCulture, $"{done:N0} {unit}");

    public static string Rate(double perSecond, string unit) => perSecond >= 10
        ? string.Create(CultureInfo.InvariantCulture, $"{perSecond:F0} {unit}/s")
        : string.Create(CultureInfo.InvariantCulture, $"{perSecond:F1} {unit}/s");

    public static string Duration(TimeSpan time) => time.TotalHours >= 1
        ? $"{(int)time.TotalHours}h{time.Minutes:D2}m"
        : time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m{time.Seconds:D2}s" : $"{Math.Max(0, time.Seconds)}s";

    public static string Percent(long done, long? total) => total is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * done / total.Value:F0}%") : "";
}
