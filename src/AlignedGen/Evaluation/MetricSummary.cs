namespace AlignedGen.Evaluation;

/// <summary>Mean of one metric over a setting's responses, with its standard error (sample sd / √n) and the count that had it.</summary>
public sealed record MetricSummary(double Mean, double StandardError, int Count)
{
    /// <summary>The summary of no values (NaN mean, count 0).</summary>
    public static MetricSummary Empty { get; } = new(double.NaN, double.NaN, 0);
}
