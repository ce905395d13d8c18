using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Rewards;
using AlignedGen.Tests.Decoding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Evaluation;

/// <summary>The per-response over-optimisation check: its arithmetic on hand-made numbers, and a comparison whose guide and judge disagree by construction.</summary>
public class OveroptimizationTests
{
    [Fact]
    public void The_reward_gap_is_the_difference_of_baseline_z_scores_and_drift_is_nats_above_the_baseline()
    {
        var baseline = new (double? Guiding, double? HeldOut, double? Fluency)[] { (0, 1, 0.5), (2, 2, 0.7), (4, 6, 0.6), (6, 7, 0.6), (null, 3, null) };
        var reference = OveroptimizationBaseline.From(baseline)!;
        Assert.Equal(4, reference.Count);
        // By hand: guiding mean 3, sd sqrt(20/3); held-out mean 4, sd sqrt(26/3) (the row without both rewards left out).
        double sg = Math.Sqrt(20.0 / 3), sh = Math.Sqrt(26.0 / 3);
        var check = reference.Check(guiding: 9, heldOut: 2, fluency: 1.4);
        double expected = (9 - 3) / sg - (2 - 4) / sh;
        Assert.Equal(expected, check.RewardGap!.Value, 9);
        Assert.Equal(1.4 - 0.6, check.FluencyDrift!.Value, 9);
        Assert.True(check.RewardGapFlag && check.FluencyFlag && check.Flagged);

        // A response the judge likes as much as the guide is not flagged; missing inputs give no verdict on that check.
        var agreed = reference.Check(guiding: 6, heldOut: 7, fluency: 0.6);
        Assert.False(agreed.Flagged);
        var partial = reference.Check(guiding: 9, heldOut: null, fluency: 0.9, new OveroptimizationOptions(fluencyDriftThreshold: 0.25));
        Assert.Null(partial.RewardGap);
        Assert.False(partial.RewardGapFlag);
        Assert.True(partial.FluencyFlag);
        Assert.Null(OveroptimizationBaseline.From(new (double?, double?, double?)[] { (1, 1, null) }));
    }

    [Theory]
    [InlineData(0, 0.5, "rewardGapThreshold")]
    [InlineData(double.NaN, 0.5, "rewardGapThreshold")]
    [InlineData(2, -1, "fluencyDriftThreshold")]
    public void Bad_thresholds_name_the_parameter(double gap, double drift, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new OveroptimizationOptions(gap, drift));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("Use e.g.", ex.Message);
    }

    [Fact]
    public void A_setting_that_games_a_guide_the_judge_disagrees_with_is_flagged_far_more_often_than_the_baseline_and_the_files_carry_each_rows_check()
    {
        // Guide and judge agree (tokens 3 and 6 are good, 6 better) except that the guide has a flaw to exploit: it keeps
        // paying for 6s where the judge sees stuffing (three or more) and takes points off. Best-of-16 under the guide
        // piles up 6s; unoptimised samples rarely reach three.
        var guide = DelegateRewardSource.PerQuery("pays-6", q => Count(q.Response, "3") + 2 * Count(q.Response, "6"));
        var judge = DelegateRewardSource.PerQuery("no-6-stuffing", q => Count(q.Response, "3") + 2 * Count(q.Response, "6") - (Count(q.Response, "6") >= 3 ? 8 : 0));
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var temp = new TempFolder();
        var prompts = Enumerable.Range(0, 24).Select(i => new GenerationRequest($"{3 + i % 12} {4 + i % 9}", $"q{i}")).ToArray();
        var options = new ComparisonOptions(new[]
        {
            new ComparisonSetting(new SamplingStrategy(new SamplingOptions(0.9)), "sample"),
            new ComparisonSetting(new BestOfNStrategy(new BestOfNOptions(16, new SamplingOptions(0.9))), "best-of-16"),
        })
        {
            Generation = new GenerationOptions(maxNewTokens: 12, batchSize: 8, seed: 4), GuidingReward = guide, HeldOutReward = judge, OutputFolder = temp.Path,
            Overoptimization = new OveroptimizationOptions(rewardGapThreshold: 1.5, fluencyDriftThreshold: 0.8),
        };
        var result = new StrategyComparison(lm, options).Run(prompts);

        var baseline = result.Summaries[0].Overoptimization;
        var gamed = result.Summaries[1].Overoptimization;
        Assert.Equal((24, 24), (baseline.Checked, gamed.Checked));
        Assert.True(gamed.RewardGap >= baseline.RewardGap + 6, $"best-of-16 flagged {gamed.RewardGap}, the baseline {baseline.RewardGap}");
        double MeanGap(string setting) => result.Responses.Where(r => r.Setting == setting).Average(r => r.Overoptimization!.RewardGap!.Value);
        Assert.True(MeanGap("best-of-16") > MeanGap("sample") + 0.5, $"mean gap: best-of-16 {MeanGap("best-of-16"):F2}, sample {MeanGap("sample"):F2}");

        // The check of every row is what an independent computation from the baseline's rows gives, and it is in the files.
        var reference = OveroptimizationBaseline.From(result.Responses.Where(r => r.Setting == "sample"))!;
        foreach (var r in result.Responses)
            Assert.Equal(reference.Check(r.GuidingReward, r.HeldOutReward, r.Fluency, options.Overoptimization), r.Overoptimization);
        var line = File.ReadLines(Path.Combine(temp.Path, "responses", "best-of-16.jsonl")).First();
        var check = JsonDocument.Parse(line).RootElement.GetProperty("overoptimization");
        Assert.Equal(result.Responses.First(r => r.Setting == "best-of-16").Overoptimization!.Flagged, check.GetProperty("flagged").GetBoolean());
        var loaded = ComparisonResultFiles.Load(temp.Path);
        Assert.Equal(result.Responses.Select(r => r.Overoptimization), loaded.Responses.Select(r => r.Overoptimization));
        Assert.Equal(result.Summaries.Select(s => s.Overoptimization), loaded.Summaries.Select(s => s.Overoptimization));
        Assert.Equal((1.5, 0.8), (loaded.Overoptimization.RewardGapThreshold, loaded.Overoptimization.FluencyDriftThreshold));
        Assert.Contains($"| {gamed.RewardGap}/{gamed.Fluency}/{gamed.Flagged} |", File.ReadAllText(Path.Combine(temp.Path, "summary.md")));
    }

    private static int Count(string text, string token) => text.Split(' ').Count(w => w == token);
}
