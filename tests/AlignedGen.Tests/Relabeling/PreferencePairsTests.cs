using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

public class PreferencePairsTests
{
    // Scores per prompt, chosen by hand: p1 has a clear order, p2 one response, p3 a tie, p4 a tie at the top.
    private static readonly (string Pid, string Response, double Score)[] Scored =
    {
        ("p1", "a1", 1), ("p1", "a2", 5), ("p1", "a3", 3),
        ("p2", "b1", 2),
        ("p3", "c1", 2), ("p3", "c2", 2),
        ("p4", "d1", 4), ("p4", "d2", 4), ("p4", "d3", 1),
    };

    private static string WriteScored(TempFolder dir, string name = "scored.jsonl")
    {
        var path = dir.File(name);
        SampleRows.Write(path, Scored.Select((s, i) => new DataRow
        {
            ["id"] = $"r{i}", ["prompt_id"] = s.Pid, ["prompt"] = "Prompt " + s.Pid, ["response"] = s.Response, ["reward"] = s.Score,
        }).ToArray());
        return path;
    }

    private static readonly ColumnMap ByPromptId = ColumnMap.Default with { PromptId = "prompt_id" };

    [Fact]
    public void Best_vs_worst_makes_one_pair_per_prompt_and_counts_what_it_skips()
    {
        using var dir = new TempFolder();
        var summary = PreferencePairs.Build(WriteScored(dir), dir.File("pairs.jsonl"), new PreferencePairOptions { Columns = ByPromptId });
        var pairs = SampleRows.ReadAll(dir.File("pairs.jsonl"));
        Assert.Equal(new[] { "prompt_id", "prompt", "chosen", "rejected", "score_chosen", "score_rejected", "chosen_id", "rejected_id" }, pairs[0].ColumnNames);
        Assert.Equal(new[] { ("p1", "a2", "a1", 5.0, 1.0), ("p4", "d1", "d3", 4.0, 1.0) },
            pairs.Select(p => ((string)p["prompt_id"]!, (string)p["chosen"]!, (string)p["rejected"]!, (double)p["score_chosen"]!, (double)p["score_rejected"]!)));
        Assert.Equal(("r1", "r0"), ((string)pairs[0]["chosen_id"]!, (string)pairs[0]["rejected_id"]!));
        Assert.Equal("Prompt p1", pairs[0]["prompt"]);
        Assert.Equal((9L, 4L, 2L, 1L, 1L), (summary.Responses, summary.Prompts, summary.PairsWritten, summary.PromptsSkippedSingleResponse, summary.PromptsSkippedNoScoreGap));
    }

    [Fact]
    public void All_pairs_above_a_margin_orders_each_pair_by_score()
    {
        using var dir = new TempFolder();
        var summary = PreferencePairs.Build(WriteScored(dir), dir.File("pairs.csv"),
            new PreferencePairOptions { Columns = ByPromptId, Mode = PreferencePairMode.AllPairsAboveMargin, Margin = 1.5 });
        var pairs = SampleRows.ReadAll(dir.File("pairs.csv"));
        // p1: (a1,a2) gap 4, (a1,a3) gap 2, (a2,a3) gap 2; p4: (d1,d3) and (d2,d3) gap 3; the tie d1/d2 and all of p3 are below the margin.
        Assert.Equal(new[] { "a2>a1", "a3>a1", "a2>a3", "d1>d3", "d2>d3" }, pairs.Select(p => $"{p["chosen"]}>{p["rejected"]}"));
        Assert.Equal(new[] { "5", "3", "5", "4", "4" }, pairs.Select(p => p["score_chosen"]));
        Assert.Equal((5L, 1L, 1L), (summary.PairsWritten, summary.PromptsSkippedSingleResponse, summary.PromptsSkippedNoScoreGap));
    }

    [Fact]
    public void Without_a_prompt_id_rows_group_by_prompt_text_and_identical_texts_never_pair()
    {
        using var dir = new TempFolder();
        SampleRows.Write(dir.File("s.jsonl"), new[]
        {
            new DataRow { ["prompt"] = "Same prompt", ["response"] = "x", ["reward"] = 1.0 },
            new DataRow { ["prompt"] = "Other", ["response"] = "y", ["reward"] = 1.0 },
            new DataRow { ["prompt"] = "Same prompt", ["response"] = "x", ["reward"] = 3.0 },
            new DataRow { ["prompt"] = "Same prompt", ["response"] = "z", ["reward"] = 2.0 },
        });
        var summary = PreferencePairs.Build(dir.File("s.jsonl"), dir.File("p.jsonl"),
            new PreferencePairOptions { Columns = ColumnMap.Default with { Id = null }, Mode = PreferencePairMode.AllPairsAboveMargin });
        var pairs = SampleRows.ReadAll(dir.File("p.jsonl"));
        Assert.Equal(new[] { "prompt", "chosen", "rejected", "score_chosen", "score_rejected" }, pairs[0].ColumnNames);
        Assert.Equal(new[] { "z>x", "x>z" }, pairs.Select(p => $"{p["chosen"]}>{p["rejected"]}"));
        Assert.Equal((2L, 1L, 1L), (summary.Prompts, summary.PairsSkippedIdenticalText, summary.PromptsSkippedSingleResponse));
    }

    [Fact]
    public void A_list_of_responses_relabeled_into_csv_pairs_within_its_row()
    {
        using var dir = new TempFolder();
        SampleRows.Write(dir.File("in.jsonl"), new[] { new DataRow { ["id"] = "q", ["prompt"] = "P", ["responses"] = new[] { "bb", "a", "cccc" } } });
        var columns = ColumnMap.Default with { Response = "responses" };
        new RelabelJob(new RelabelOptions(dir.File("in.jsonl"), dir.File("scored.csv"), RewardColumn.For(new FakeRewardSource())) { Columns = columns }).Run();
        var summary = PreferencePairs.Build(dir.File("scored.csv"), dir.File("pairs.jsonl"), new PreferencePairOptions { Columns = columns });
        var pair = Assert.Single(SampleRows.ReadAll(dir.File("pairs.jsonl")));
        Assert.Equal(("cccc", "a", 4.0, 1.0, "q#2", "q#1"), ((string)pair["chosen"]!, (string)pair["rejected"]!, (double)pair["score_chosen"]!, (double)pair["score_rejected"]!, (string)pair["chosen_id"]!, (string)pair["rejected_id"]!));
        Assert.Equal(3, summary.Responses);
    }

    [Fact]
    public void A_row_without_a_score_names_its_line()
    {
        using var dir = new TempFolder();
        SampleRows.Write(dir.File("s.jsonl"), new[]
        {
            new DataRow { ["id"] = 1, ["prompt"] = "p", ["response"] = "x", ["reward"] = 1.0 },
            new DataRow { ["id"] = 2, ["prompt"] = "p", ["response"] = "y", ["reward"] = "high" },
        });
        var ex = Assert.Throws<DataFileException>(() => PreferencePairs.Build(dir.File("s.jsonl"), dir.File("p.jsonl")));
        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("'reward' holds text (high)", ex.Problem);
        var missing = Assert.Throws<MissingColumnsException>(() => PreferencePairs.Build(dir.File("s.jsonl"), dir.File("p.jsonl"), new PreferencePairOptions { ScoreColumn = "score" }));
        Assert.Equal(new[] { "score" }, missing.Missing);
        Assert.Equal("Margin", Assert.Throws<ArgumentOutOfRangeException>(() => new PreferencePairOptions { Margin = -1 }).ParamName);
    }

    [SkippableFact]
    public void Story_samples_relabeled_by_length_give_the_pairs_a_direct_computation_gives()
    {
        var samples = SharedFolder.Require("data", "story-samples.jsonl");
        using var dir = new TempFolder();
        var columns = ColumnMap.Default with { PromptId = "prompt_id" };
        var relabel = new RelabelJob(new RelabelOptions(samples, dir.File("scored.parquet"), RewardColumn.For(new FakeRewardSource())) { Columns = columns, BatchSize = 64 }).Run();
        Assert.Equal(4000, relabel.RowsScored);
        var summary = PreferencePairs.Build(dir.File("scored.parquet"), dir.File("pairs.jsonl"), new PreferencePairOptions { Columns = columns });

        // Oracle straight from the source file: per prompt id, the first longest response against the first shortest.
        var expected = File.ReadLines(samples).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .GroupBy(e => e.GetProperty("prompt_id").GetString())
            .Select(g => g.ToArray())
            .Select(g => (Best: g.First(e => e.GetProperty("response").GetString()!.Length == g.Max(x => x.GetProperty("response").GetString()!.Length)),
                          Worst: g.First(e => e.GetProperty("response").GetString()!.Length == g.Min(x => x.GetProperty("response").GetString()!.Length))))
            .Where(p => p.Best.GetProperty("response").GetString()!.Length > p.Worst.GetProperty("response").GetString()!.Length)
            .Select(p => $"{p.Best.GetProperty("id").GetString()}>{p.Worst.GetProperty("id").GetString()}")
            .ToArray();
        var pairs = SampleRows.ReadAll(dir.File("pairs.jsonl")).Select(p => $"{p["chosen_id"]}>{p["rejected_id"]}").ToArray();
        Assert.Equal(expected, pairs);
        Assert.Equal(1000, summary.Prompts);
        Assert.Equal(1000 - expected.Length, summary.PromptsSkippedNoScoreGap);
    }
}
