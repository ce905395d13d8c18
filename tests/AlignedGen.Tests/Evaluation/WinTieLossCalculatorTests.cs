using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Win/tie/loss and its paired standard errors against hand-computed values.</summary>
public class WinTieLossCalculatorTests
{
    private static readonly Dictionary<string, double> Setting = new() { ["a"] = 3, ["b"] = 1, ["c"] = 2, ["d"] = 5 };
    private static readonly Dictionary<string, double> Baseline = new() { ["a"] = 1, ["b"] = 2, ["c"] = 2, ["e"] = 0 };

    [Fact]
    public void Only_prompts_in_both_are_paired_and_equal_rewards_tie_at_margin_zero()
    {
        // Paired a, b, c: differences 2, -1, 0 → win, loss, tie; outcomes 1, 0, ½.
        var w = WinTieLossCalculator.Compare(Setting, Baseline, "greedy");
        Assert.Equal("greedy", w.Baseline);
        Assert.Equal((1, 1, 1, 3), (w.Wins, w.Ties, w.Losses, w.Count));
        Assert.Equal(0.5, w.Score, 12);
        // Outcome deviations ½, -½, 0: sd = √((¼ + ¼) / 2) = ½; SE = ½ / √3.
        Assert.Equal(0.5 / Math.Sqrt(3), w.StandardError, 12);
        // Differences 2, -1, 0: mean ⅓; deviations 5/3, -4/3, -1/3 → squares sum 42/9; sd = √(21/9); SE = sd / √3.
        Assert.Equal(1.0 / 3, w.MeanDifference, 12);
        Assert.Equal(Math.Sqrt(21.0 / 9) / Math.Sqrt(3), w.MeanDifferenceStandardError, 12);
    }

    [Fact]
    public void A_margin_turns_small_differences_into_ties()
    {
        // Margin 1: 2 > 1 wins; |-1| <= 1 and 0 tie → 1/2/0, score (1 + ½ + ½) / 3.
        var w = WinTieLossCalculator.Compare(Setting, Baseline, "greedy", tieMargin: 1);
        Assert.Equal((1, 2, 0), (w.Wins, w.Ties, w.Losses));
        Assert.Equal(2.0 / 3, w.Score, 12);
        // Outcomes 1, ½, ½: mean ⅔; deviations ⅓, -⅙, -⅙ → squares 1/9 + 1/36 + 1/36 = 1/6; sd = √(1/12).
        Assert.Equal(Math.Sqrt(1.0 / 12) / Math.Sqrt(3), w.StandardError, 12);
    }

    [Fact]
    public void Nothing_paired_and_bad_margins()
    {
        var none = WinTieLossCalculator.Compare(new Dictionary<string, double> { ["x"] = 1 }, Baseline, "b");
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Score) && double.IsNaN(none.MeanDifference));
        foreach (var margin in new[] { -0.1, double.NaN, double.PositiveInfinity })
            Assert.Equal("tieMargin", Assert.Throws<ArgumentOutOfRangeException>(() => WinTieLossCalculator.Compare(Setting, Baseline, "b", margin)).ParamName);
    }
}
