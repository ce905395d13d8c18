namespace AlignedGen.Evaluation;

/// <summary>
/// Progress over a whole comparison: setting <see cref="SettingNumber"/> of <see cref="SettingCount"/> (1-based), its
/// label and stage, prompts done in that stage, the overall fraction (each setting weighs 1/n, its generation and its
/// evaluation half of that each) and the elapsed time.
/// </summary>
public sealed record ComparisonProgress(int SettingNumber, int SettingCount, string Setting, ComparisonStage Stage,
    int PromptsDone, int PromptCount, double OverallFraction, TimeSpan Elapsed)
{
    /// <summary>0–100.</summary>
    public double Percent => 100 * OverallFraction;
}
