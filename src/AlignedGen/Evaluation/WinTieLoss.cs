namespace AlignedGen.Evaluation;

/// <summary>
/// A setting against the baseline under the held-out reward, prompt by prompt (paired): a win when its reward
/// exceeds the baseline's by more than the tie margin, a loss when it falls short by more, a tie otherwise.
/// <see cref="Score"/> = (wins + ties / 2) / n with <see cref="StandardError"/> the paired standard error of the
/// per-prompt outcomes (1, ½, 0); <see cref="MeanDifference"/> is the mean held-out reward difference with its paired SE.
/// </summary>
public sealed record WinTieLoss
{
    /// <summary>The baseline setting's label.</summary>
    public required string Baseline { get; init; }
    /// <summary>Prompts where this setting won.</summary>
    public int Wins { get; init; }
    /// <summary>Prompts within the tie margin.</summary>
    public int Ties { get; init; }
    /// <summary>Prompts where the baseline won.</summary>
    public int Losses { get; init; }
    /// <summary>Paired prompts (wins + ties + losses).</summary>
    public int Count => Wins + Ties + Losses;
    /// <summary>(wins + ties / 2) / n.</summary>
    public double Score { get; init; }
    /// <summary>Paired standard error of <see cref="Score"/>.</summary>
    public double StandardError { get; init; }
    /// <summary>Mean of (this − baseline) held-out reward over paired prompts.</summary>
    public double MeanDifference { get; init; }
    /// <summary>Paired standard error of <see cref="MeanDifference"/>.</summary>
    public double MeanDifferenceStandardError { get; init; }
}
