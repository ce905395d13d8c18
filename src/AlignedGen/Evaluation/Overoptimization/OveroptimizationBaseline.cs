namespace AlignedGen.Evaluation;

/// <summary>
/// What the over-optimisation check measures responses against: the guiding reward, held-out reward, their gap and
/// fluency of a set of unoptimised responses (a comparison's baseline setting, or a whole relabelled dataset).
/// Standardising by this set puts two reward models with different scales on one footing.
/// </summary>
public sealed record OveroptimizationBaseline
{
    /// <summary>Mean and sample standard deviation of the guiding reward.</summary>
    public required (double Mean, double Sd) Guiding { get; init; }
    /// <summary>Mean and sample standard deviation of the held-out reward.</summary>
    public required (double Mean, double Sd) HeldOut { get; init; }
    /// <summary>Mean NLL (nats per token); NaN when fluency was not measured.</summary>
    public required double FluencyMean { get; init; }
    /// <summary>Responses that had both rewards.</summary>
    public required int Count { get; init; }

    /// <summary>
    /// The baseline of (guiding, held-out, fluency) triples; rewards may be null (rows without both rewards do not count
    /// towards the reward statistics). Returns null when fewer than 2 rows have both rewards or either reward is constant,
    /// and no row has fluency either (there is nothing to standardise against).
    /// </summary>
    public static OveroptimizationBaseline? From(IEnumerable<(double? Guiding, double? HeldOut, double? Fluency)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var both = list.Where(r => r.Guiding is { } g && double.IsFinite(g) && r.HeldOut is { } h && double.IsFinite(h)).Select(r => (G: r.Guiding!.Value, H: r.HeldOut!.Value)).ToList();
        var fluency = list.Where(r => r.Fluency is { } f && double.IsFinite(f)).Select(r => r.Fluency!.Value).ToList();
        var guiding = Stats(both.Select(x => x.G));
        var heldOut = Stats(both.Select(x => x.H));
        bool rewards = both.Count >= 2 && guiding.Sd > 0 && heldOut.Sd > 0;
        if (!rewards && fluency.Count == 0) return null;
        return new OveroptimizationBaseline
        {
            Guiding = rewards ? guiding : (double.NaN, double.NaN),
            HeldOut = rewards ? heldOut : (double.NaN, double.NaN),
            FluencyMean = fluency.Count == 0 ? double.NaN : fluency.Average(),
            Count = rewards ? both.Count : 0,
        };
    }

    /// <summary>The baseline of evaluated responses (their guiding and held-out rewards and fluency).</summary>
    public static OveroptimizationBaseline? From(IEnumerable<EvaluatedResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        return From(responses.Select(r => (r.GuidingReward, r.HeldOutReward, r.Fluency)));
    }

    /// <summary>
    /// Checks one response: its reward gap — z(guiding) − z(held-out), each reward standardised by this baseline — and
    /// its fluency drift (NLL − the baseline's mean NLL); each is null when its inputs are
    /// missing. Flagged when either exceeds its threshold.
    /// </summary>
    public OveroptimizationCheck Check(double? guiding, double? heldOut, double? fluency, OveroptimizationOptions? options = null)
    {
        options ??= OveroptimizationOptions.Default;
        double? gap = null;
        if (guiding is { } g && heldOut is { } h && double.IsFinite(g) && double.IsFinite(h) && Guiding.Sd > 0 && HeldOut.Sd > 0)
            gap = (g - Guiding.Mean) / Guiding.Sd - (h - HeldOut.Mean) / HeldOut.Sd;
        double? drift = fluency is { } f && double.IsFinite(f) && double.IsFinite(FluencyMean) ? f - FluencyMean : null;
        return new OveroptimizationCheck
        {
            RewardGap = gap,
            FluencyDrift = drift,
            RewardGapFlag = gap > options.RewardGapThreshold,
            FluencyFlag = drift > options.FluencyDriftThreshold,
        };
    }

    private static (double Mean, double Sd) Stats(IEnumerable<double> values)
    {
        var summary = MetricAggregator.Summarize(values);
        return (summary.Mean, summary.Count < 2 ? double.NaN : summary.StandardError * Math.Sqrt(summary.Count));
    }
}
