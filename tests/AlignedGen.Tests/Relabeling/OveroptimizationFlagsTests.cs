using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.Evaluation;
using AlignedGen.Relabeling;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Relabeling;

/// <summary>The over-optimisation check as a second pass over a relabelled file, with rewards that disagree by construction.</summary>
public class OveroptimizationFlagsTests
{
    private static void WriteJsonl(string path, IEnumerable<object> rows) => File.WriteAllLines(path, rows.Select(r => JsonSerializer.Serialize(r)));

    [Fact]
    public void Rows_the_guide_likes_far_more_than_the_judge_are_flagged_and_every_row_is_copied_with_its_check()
    {
        using var temp = new TempFolder();
        var input = Path.Combine(temp.Path, "relabelled.jsonl");
        var output = Path.Combine(temp.Path, "flagged.jsonl");
        // Nineteen rows where guide and judge agree up to a little noise, one the guide loves and the judge hates, and
        // one without a judge score.
        var rows = Enumerable.Range(0, 19).Select(i => new { id = i, response = $"r{i}", reward_guide = (double)i, reward_judge = i + (i % 3 - 1) * 0.5 })
            .Cast<object>().Append(new { id = 19, response = "gamed", reward_guide = 30.0, reward_judge = -5.0 })
            .Append(new { id = 20, response = "unjudged", reward_guide = 1.0, reward_judge = (double?)null });
        WriteJsonl(input, rows);

        var counts = OveroptimizationFlags.AddTo(input, output, "reward_guide", "reward_judge");

        var written = File.ReadLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(21, written.Length);
        Assert.Equal(Enumerable.Range(0, 21), written.Select(w => w.GetProperty("id").GetInt32()));
        var flagged = written.Where(w => w.GetProperty(OveroptimizationFlags.FlagColumn).GetBoolean()).Select(w => w.GetProperty("response").GetString()).ToArray();
        Assert.Equal(new[] { "gamed" }, flagged);
        Assert.Equal((20, 1, 0, 1), (counts.Checked, counts.RewardGap, counts.Fluency, counts.Flagged));
        Assert.Equal(JsonValueKind.Null, written[20].GetProperty(OveroptimizationFlags.RewardGapColumn).ValueKind);

        // The gap of each row is the difference of the two z-scores over the 20 rows with both rewards, computed here independently.
        var both = Enumerable.Range(0, 20).Select(i => i < 19 ? (G: (double)i, J: i + (i % 3 - 1) * 0.5) : (G: 30.0, J: -5.0)).ToArray();
        double Mean(IEnumerable<double> v) => v.Average();
        double Sd(IEnumerable<double> v) { var a = v.ToArray(); var m = a.Average(); return Math.Sqrt(a.Sum(x => (x - m) * (x - m)) / (a.Length - 1)); }
        double mg = Mean(both.Select(b => b.G)), sg = Sd(both.Select(b => b.G)), mj = Mean(both.Select(b => b.J)), sj = Sd(both.Select(b => b.J));
        for (int i = 0; i < 20; i++)
            Assert.Equal((both[i].G - mg) / sg - (both[i].J - mj) / sj, written[i].GetProperty(OveroptimizationFlags.RewardGapColumn).GetDouble(), 9);
    }

    [Fact]
    public void A_baseline_file_sets_the_scale_and_a_fluency_column_adds_the_drift_check()
    {
        using var temp = new TempFolder();
        var baseline = Path.Combine(temp.Path, "baseline.csv");
        var input = Path.Combine(temp.Path, "optimised.csv");
        var output = Path.Combine(temp.Path, "flagged.csv");
        File.WriteAllText(baseline, "g,j,nll\n0,0,0.5\n1,1,0.6\n2,2,0.7\n3,3,0.6\n");
        File.WriteAllText(input, "g,j,nll\n3,3,0.6\n3,0,0.6\n2,2,1.5\n");
        var counts = OveroptimizationFlags.AddTo(input, output, "g", "j", fluencyColumn: "nll", baselinePath: baseline);
        Assert.Equal((3, 1, 1, 2), (counts.Checked, counts.RewardGap, counts.Fluency, counts.Flagged));
        using var reader = RecordFiles.OpenReader(output);
        Assert.Equal(new[] { "g", "j", "nll", "reward_gap", "fluency_drift", "overoptimized" }, reader.DeclaredColumns);
        var flags = new List<string?>();
        for (var row = reader.Read(); row is not null; row = reader.Read()) flags.Add(row.GetText("overoptimized"));
        Assert.Equal(new[] { "false", "true", "true" }, flags.Select(f => f?.ToLowerInvariant()));
    }

    [Fact]
    public void Missing_columns_name_the_file_and_the_column()
    {
        using var temp = new TempFolder();
        var input = Path.Combine(temp.Path, "in.jsonl");
        WriteJsonl(input, new object[] { new { reward = 1.0 }, new { reward = 2.0 } });
        var ex = Assert.Throws<DataFileException>(() => OveroptimizationFlags.AddTo(input, Path.Combine(temp.Path, "out.jsonl"), "reward", "reward_judge"));
        Assert.Contains("'reward_judge'", ex.Message);
        Assert.Contains(input, ex.Message);
        Assert.Throws<ArgumentException>(() => OveroptimizationFlags.AddTo(input, input, "reward", "reward"));
    }
}
