namespace AlignedGen.Reporting;

/// <summary>Tukey box-plot statistics of one sample: quartiles by linear interpolation, whiskers at the furthest values within 1.5 IQR of the box, outliers beyond.</summary>
internal sealed record BoxStatistics(int Count, double Mean, double Q1, double Median, double Q3, double WhiskerLow,
    double WhiskerHigh, IReadOnlyList<double> Outliers)
{
    /// <summary>The statistics of <paramref name="values"/> (at least one finite value).</summary>
    public static BoxStatistics Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("A box plot needs at least one value.", nameof(values));
        Array.Sort(sorted);
        double q1 = Quantile(sorted, 0.25), median = Quantile(sorted, 0.5), q3 = Quantile(sorted, 0.75);
        double fence = 1.5 * (q3 - q1), low = q1 - fence, high = q3 + fence;
        var inside = sorted.Where(v => v >= low && v <= high).ToArray();
        return new BoxStatistics(sorted.Length, sorted.Average(), q1, median, q3, inside[0], inside[^1],
            sorted.Where(v => v < low || v > high).ToArray());
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
