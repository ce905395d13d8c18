using AlignedGen.Evaluation;

namespace AlignedGen.Reporting;

/// <summary>The reward the charts plot (held-out or guiding), with how to read it off summaries and responses.</summary>
internal sealed class PlottedReward
{
    private PlottedReward(bool heldOut, string? sourceName)
    {
        IsHeldOut = heldOut;
        SourceName = sourceName;
    }

    /// <summary>True for the held-out reward, false for the guiding one.</summary>
    public bool IsHeldOut { get; }
    /// <summary>The reward source's name, when the result gave one.</summary>
    public string? SourceName { get; }
    /// <summary>"held-out" or "guiding".</summary>
    public string Kind => IsHeldOut ? "held-out" : "guiding";
    /// <summary>The axis label: "held-out reward (name)".</summary>
    public string AxisLabel => SourceName is null ? $"{Kind} reward" : $"{Kind} reward ({SourceName})";

    /// <summary>The setting's mean and SE of this reward.</summary>
    public MetricSummary Of(StrategySummary summary) => IsHeldOut ? summary.HeldOutReward : summary.GuidingReward;

    /// <summary>The response's value of this reward, when measured.</summary>
    public double? Of(EvaluatedResponse response) => IsHeldOut ? response.HeldOutReward : response.GuidingReward;

    /// <summary>
    /// The reward to plot: the requested one, or for <see cref="ReportReward.Auto"/> held-out when measured, else guiding;
    /// null when <see cref="ReportReward.Auto"/> finds neither. An explicit request the result cannot meet throws.
    /// </summary>
    public static PlottedReward? Choose(ComparisonResult result, ReportReward requested)
    {
        var heldOut = new PlottedReward(true, result.HeldOutReward);
        var guiding = new PlottedReward(false, result.GuidingReward);
        return requested switch
        {
            ReportReward.HeldOut => heldOut.IsMeasuredIn(result) ? heldOut : throw NotMeasured(heldOut),
            ReportReward.Guiding => guiding.IsMeasuredIn(result) ? guiding : throw NotMeasured(guiding),
            _ => heldOut.IsMeasuredIn(result) ? heldOut : guiding.IsMeasuredIn(result) ? guiding : null,
        };
    }

    private bool IsMeasuredIn(ComparisonResult result) =>
        result.Summaries.Any(s => Of(s).Count > 0 && double.IsFinite(Of(s).Mean))
        || result.Responses.Any(r => Of(r) is { } value && double.IsFinite(value));

    private static ArgumentException NotMeasured(PlottedReward reward) =>
        new($"The comparison result has no {reward.Kind} reward values, so the report cannot plot the {reward.Kind} reward. Pass ReportReward.Auto to plot whichever reward was measured.", "options");
}
