namespace AlignedGen.Evaluation;

/// <summary>
/// Whether a response looks like it gamed the guiding reward rather than improved: the held-out reward disagrees with
/// the guide far more than it does on the baseline's responses, or the text drifted far from the generator's fluency.
/// A data pipeline keeps the rows where <see cref="Flagged"/> is false. See docs/evaluation.md (over-optimisation).
/// </summary>
public sealed record OveroptimizationCheck
{
    /// <summary>
    /// z(guiding) − z(held-out), each reward standardised by the baseline's mean and standard deviation: how many
    /// baseline standard deviations more the guide likes the response than the judge does. Null without both rewards.
    /// </summary>
    public double? RewardGap { get; init; }
    /// <summary>Mean NLL minus the baseline's mean NLL (nats per token; positive = less fluent). Null without fluency.</summary>
    public double? FluencyDrift { get; init; }
    /// <summary>The reward gap exceeds <see cref="OveroptimizationOptions.RewardGapThreshold"/>.</summary>
    public bool RewardGapFlag { get; init; }
    /// <summary>The fluency drift exceeds <see cref="OveroptimizationOptions.FluencyDriftThreshold"/>.</summary>
    public bool FluencyFlag { get; init; }
    /// <summary>Either check fired: the response may be reward-hacked.</summary>
    public bool Flagged => RewardGapFlag || FluencyFlag;
}

/// <summary>How many of a setting's responses each over-optimisation check flagged.</summary>
public sealed record OveroptimizationCount(int Checked, int RewardGap, int Fluency, int Flagged)
{
    /// <summary>No response checked.</summary>
    public static OveroptimizationCount None { get; } = new(0, 0, 0, 0);

    /// <summary>Counts the checks of <paramref name="responses"/> (responses without a check are not counted).</summary>
    public static OveroptimizationCount Of(IEnumerable<EvaluatedResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var checks = responses.Select(r => r.Overoptimization).OfType<OveroptimizationCheck>().ToList();
        return new OveroptimizationCount(checks.Count, checks.Count(c => c.RewardGapFlag), checks.Count(c => c.FluencyFlag), checks.Count(c => c.Flagged));
    }
}
