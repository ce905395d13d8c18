namespace AlignedGen.Evaluation;

/// <summary>Aggregates per-response metric values into a <see cref="MetricSummary"/>.</summary>
public static class MetricAggregator
{
    /// <summary>
    /// Mean, standard error (sample standard deviation, n − 1 in the denominator, over √n) and count of the non-null values.
    /// No values gives <see cref="MetricSummary.Empty"/>; one value gives a NaN standard error (a spread needs two).
    /// </summary>
    public static MetricSummary Summarize(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Summarize(values.Where(v => v.HasValue).Select(v => v!.Value));
    }

    /// <summary>Mean, standard error (sample sd / √n) and count of <paramref name="values"/>.</summary>
    public static MetricSummary Summarize(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values as IReadOnlyCollection<double> ?? values.ToArray();
        int n = list.Count;
        if (n == 0) return MetricSummary.Empty;
        double mean = list.Average();
        if (n == 1) return new MetricSummary(mean, double.NaN, 1);
        double squares = 0;
        foreach (var v in list) squares += (v - mean) * (v - mean);
        double sd = Math.Sqrt(squares / (n - 1));
        return new MetricSummary(mean, sd / Math.Sqrt(n), n);
    }
}
