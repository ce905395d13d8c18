namespace AlignedGen.Evaluation;

/// <summary>
/// Pairs a setting's held-out rewards with the baseline's by prompt id and counts wins, ties and losses (see
/// <see cref="WinTieLoss"/>). Only prompt ids present in both maps are paired.
/// </summary>
public static class WinTieLossCalculator
{
    /// <summary>
    /// Compares <paramref name="setting"/> with <paramref name="baseline"/> (prompt id → held-out reward). A prompt is a win
    /// when setting − baseline &gt; <paramref name="tieMargin"/>, a loss when it is &lt; −<paramref name="tieMargin"/>, a tie
    /// otherwise; the default margin 0 makes only exactly equal rewards (e.g. the same response) ties. Standard errors are
    /// sample sd / √n of the per-prompt outcomes (1, ½, 0) and differences; NaN with fewer than two pairs, and every
    /// statistic is NaN with none.
    /// </summary>
    public static WinTieLoss Compare(IReadOnlyDictionary<string, double> setting, IReadOnlyDictionary<string, double> baseline,
        string baselineLabel, double tieMargin = 0)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(baselineLabel);
        if (!double.IsFinite(tieMargin) || tieMargin < 0)
            throw new ArgumentOutOfRangeException(nameof(tieMargin), tieMargin, $"The tie margin must be a finite number of 0 or more, got {tieMargin}. Use 0 to count only equal rewards as ties.");
        int wins = 0, ties = 0, losses = 0;
        var outcomes = new List<double>();
        var differences = new List<double>();
        foreach (var (promptId, reward) in setting)
        {
            if (!baseline.TryGetValue(promptId, out var other)) continue;
            double difference = reward - other;
            double outcome;
            if (difference > tieMargin) { wins++; outcome = 1; }
            else if (difference < -tieMargin) { losses++; outcome = 0; }
            else { ties++; outcome = 0.5; }
            outcomes.Add(outcome);
            differences.Add(difference);
        }
        var score = MetricAggregator.Summarize(outcomes);
        var meanDifference = MetricAggregator.Summarize(differences);
        return new WinTieLoss
        {
            Baseline = baselineLabel,
            Wins = wins,
            Ties = ties,
            Losses = losses,
            Score = score.Mean,
            StandardError = score.StandardError,
            MeanDifference = meanDifference.Mean,
            MeanDifferenceStandardError = meanDifference.StandardError,
        };
    }
}
