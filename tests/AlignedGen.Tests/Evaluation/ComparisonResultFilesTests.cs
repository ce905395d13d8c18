using System.Globalization;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Comparison folders: save/load round trip, the summary tables, and errors that name the file and problem.</summary>
public class ComparisonResultFilesTests
{
    internal static ComparisonResult Sample()
    {
        EvaluatedResponse Response(string setting, string id, double held, double? fluency) => new()
        {
            Setting = setting,
            PromptId = id,
            Prompt = $"Prompt \"{id}\", with a comma\nand a line break — ünïcode",
            Response = "She said: \"yes\" + 'no' <b>",
            FinishReason = id == "0" ? FinishReason.Eos : FinishReason.Length,
            GuidingReward = held - 1,
            HeldOutReward = held,
            Diversity = 0.9,
            Coherence = null,
            Fluency = fluency,
            Length = 12,
            Cost = new GenerationCost { LmCalls = 2.5, LmTokens = 40, RewardCalls = 1, RewardTokens = 33, Elapsed = TimeSpan.FromMilliseconds(12.5) },
        };
        return new ComparisonResult
        {
            Generator = "tiny",
            GuidingReward = "rm-a",
            HeldOutReward = "rm-b",
            Embedder = null,
            Baseline = "a b",
            PromptCount = 2,
            MaxNewTokens = 16,
            Seed = 42,
            StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            WallSeconds = 1.25,
            Summaries = new[]
            {
                new StrategySummary { Setting = "a b", Family = "greedy", Count = 2, HeldOutReward = new MetricSummary(1.5, double.NaN, 1), LmTokensPerResponse = 40 },
                new StrategySummary
                {
                    Setting = "a-b, \"quoted\" | piped", Family = "args-greedy", Count = 2,
                    Parameters = new Dictionary<string, double> { ["w"] = 1.5, ["k"] = 10 },
                    HeldOutReward = new MetricSummary(2.25, 0.5, 2),
                    VersusBaseline = new WinTieLoss { Baseline = "a b", Wins = 1, Ties = 1, Losses = 0, Score = 0.75, StandardError = 0.25, MeanDifference = 0.5, MeanDifferenceStandardError = 0.5 },
                    RewardCallsPerResponse = 3, MillisecondsPerResponse = 12.5, WallSeconds = 0.025,
                },
            },
            Responses = new[] { Response("a b", "0", 1, 0.7), Response("a b", "1", 2, null), Response("a-b, \"quoted\" | piped", "0", 2, 0.5), Response("a-b, \"quoted\" | piped", "1", 2.5, 0.6) },
        };
    }

    [Fact]
    public void A_saved_comparison_loads_back_equal()
    {
        using var temp = new TempFolder();
        var result = Sample();
        ComparisonResultFiles.Save(result, temp.Path);
        // Labels whose slugs collide get distinct files.
        Assert.True(File.Exists(Path.Combine(temp.Path, "responses", "a-b.jsonl")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "responses", "a-b-quoted-piped.jsonl")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(temp.Path, "responses", "a-b.jsonl")).Length);

        var loaded = ComparisonResultFiles.Load(temp.Path);
        Assert.Equal(result with { Summaries = [], Responses = [] }, loaded with { Summaries = [], Responses = [] });
        Assert.Equal(result.Responses, loaded.Responses);
        Assert.Equal(result.Summaries.Count, loaded.Summaries.Count);
        for (int i = 0; i < result.Summaries.Count; i++)
        {
            var (a, b) = (result.Summaries[i], loaded.Summaries[i]);
            Assert.Equal(a.Parameters, b.Parameters);
            Assert.Equal(a with { Parameters = b.Parameters }, b);
        }
        // NaN (a one-value standard error, empty metrics) is null in the file and NaN again after loading.
        Assert.True(double.IsNaN(loaded.Summaries[0].HeldOutReward.StandardError));
        Assert.True(double.IsNaN(loaded.Summaries[0].Fluency.Mean));
        Assert.Contains("\"standard_error\": null", File.ReadAllText(Path.Combine(temp.Path, "comparison.json")));
    }

    [Fact]
    public void The_summary_tables_have_one_row_per_setting()
    {
        var result = Sample();
        var markdown = ComparisonSummaryTable.ToMarkdown(result);
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("| a b | 2 | – | 1.500 | baseline |", rows[1]);
        Assert.Contains("a-b, \"quoted\" \\| piped", rows[2]);
        Assert.Contains("| 2.250 ± 0.500 | 1/1/0 (0.75 ± 0.25) |", rows[2]);

        var csv = ComparisonSummaryTable.ToCsv(result);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Join(",", ComparisonSummaryTable.CsvColumns), lines[0]);
        Assert.StartsWith("\"a-b, \"\"quoted\"\" | piped\",args-greedy,2,", lines[2]);
        using var reader = new CsvRecordReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "summary.csv");
        var records = new List<DataRow>();
        while (reader.Read() is { } record) records.Add(record);
        Assert.Equal("a-b, \"quoted\" | piped", records[1].GetText("setting"));
        Assert.Equal(0.75, double.Parse(records[1].GetText("win_score")!, CultureInfo.InvariantCulture));
        Assert.Equal("", records[0].GetText("held_out_reward_se") ?? "");
        Assert.Equal("", records[0].GetText("wins") ?? "");
    }

    [Fact]
    public void Folders_that_are_not_comparisons_are_named_with_the_problem()
    {
        using var temp = new TempFolder();
        var missing = Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(Path.Combine(temp.Path, "nope")));
        Assert.Contains("does not exist", missing.Message);

        var notComparison = Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path));
        Assert.Equal(Path.Combine(temp.Path, "comparison.json"), notComparison.Path);
        Assert.Contains("not a comparison result folder", notComparison.Message);

        File.WriteAllText(Path.Combine(temp.Path, "comparison.json"), "{\"format\": \"something-else\"}");
        Assert.Contains("not 'alignedgen-comparison'", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);
        File.WriteAllText(Path.Combine(temp.Path, "comparison.json"), "{\"format\": 3}");
        Assert.Contains("'(missing)'", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);
        File.WriteAllText(Path.Combine(temp.Path, "comparison.json"), "{\"format\": \"alignedgen-comparison\", \"format_version\": 99}");
        Assert.Contains("format version 99", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);
        File.WriteAllText(Path.Combine(temp.Path, "comparison.json"), "{\"format\": \"alignedgen-comparison\", \"format_version\": 1, \"summaries\": 5}");
        Assert.Contains("does not describe a comparison", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);
        File.WriteAllText(Path.Combine(temp.Path, "comparison.json"), "{ not json");
        Assert.Contains("not valid JSON", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);

        ComparisonResultFiles.Save(Sample(), temp.Path);
        var file = Path.Combine(temp.Path, "responses", "a-b.jsonl");
        File.AppendAllText(file, "{\"setting\": 3\n");
        var corrupt = Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path));
        Assert.Equal((file, 3L), (corrupt.Path, corrupt.LineNumber));
        File.Delete(file);
        Assert.Contains("response file is missing", Assert.Throws<DataFileException>(() => ComparisonResultFiles.Load(temp.Path)).Message);
    }

    [Fact]
    public void An_unwritable_folder_is_named_with_the_problem()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "a-file");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<DataFileException>(() => ComparisonResultFiles.Save(Sample(), Path.Combine(file, "out")));
        Assert.Equal(Path.Combine(file, "out"), e.Path);
        Assert.Contains("cannot write", e.Message);
        var stray = Sample() with { Responses = [Sample().Responses[0] with { Setting = "unknown" }] };
        Assert.Contains("'unknown'", Assert.Throws<ArgumentException>(() => ComparisonResultFiles.Save(stray, temp.Path)).Message);
    }

    [Theory]
    [InlineData("args w=1.5", "args-w-1-5")]
    [InlineData("Best-of-16", "best-of-16")]
    [InlineData("  ÿ★ ", "setting")]
    [InlineData("darwin m=8 keep=2", "darwin-m-8-keep-2")]
    public void Slugs_are_file_name_safe(string label, string slug) => Assert.Equal(slug, ComparisonResultFiles.Slug(label));
}
