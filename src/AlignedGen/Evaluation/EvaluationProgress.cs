namespace AlignedGen.Evaluation;

/// <summary>Progress of a <see cref="QualityEvaluator"/> run: responses evaluated, of the total when known, and elapsed time.</summary>
public sealed record EvaluationProgress(int Completed, int? Total, TimeSpan Elapsed)
{
    /// <summary>0–1, or null when the total is unknown (streamed input).</summary>
    public double? Fraction => Total is null ? null : Total == 0 ? 1 : (double)Completed / Total.Value;
}
