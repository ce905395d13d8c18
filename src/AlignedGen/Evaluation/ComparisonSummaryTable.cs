using System.Globalization;
using System.Text;
using AlignedGen.Data;

namespace AlignedGen.Evaluation;

/// <summary>
/// The summary table of a <see cref="ComparisonResult"/>, one row per setting: as Markdown (what <c>summary.md</c> holds
/// and <c>aligngen compare</c> prints) and as CSV (<c>summary.csv</c>: invariant culture, RFC 4180 quoting, means and
/// standard errors in separate columns, empty cells for values that do not exist).
/// </summary>
public static class ComparisonSummaryTable
{
    /// <summary>The CSV header, in column order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = new[]
    {
        "setting", "family", "n", "guiding_reward", "guiding_reward_se", "held_out_reward", "held_out_reward_se",
        "wins", "ties", "losses", "win_score", "win_score_se", "held_out_difference", "held_out_difference_se",
        "diversity", "diversity_se", "coherence", "coherence_se", "fluency_nll", "fluency_nll_se", "length", "length_se",
        "flagged", "flagged_reward_gap", "flagged_fluency", "checked",
        "lm_tokens_per_response", "lm_calls_per_response", "rm_calls_per_response", "rm_tokens_per_response", "wall_seconds", "ms_per_response",
    };

    /// <summary>A heading line naming the models, then the Markdown table.</summary>
    public static string ToMarkdown(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Format(inv, "Comparison on {0}: {1} prompts, up to {2} new tokens, seed {3}; guided by {4}, judged by {5}; baseline {6}; coherence by {7}.",
            result.Generator, result.PromptCount, result.MaxNewTokens, result.Seed, result.GuidingReward ?? "(none)",
            result.HeldOutReward ?? "(none)", result.Baseline, result.Embedder ?? "(not measured)"));
        text.AppendLine();
        text.AppendLine(string.Format(inv, "Flagged: responses the over-optimisation check marks against the baseline's responses (held-out reward gap above {0} baseline sd / fluency NLL above the baseline's by more than {1} nats per token / either).",
            result.Overoptimization.RewardGapThreshold, result.Overoptimization.FluencyDriftThreshold));
        text.AppendLine();
        text.AppendLine("| setting | n | guiding reward | held-out reward | vs baseline: W/T/L (score) | diversity | coherence | fluency (NLL) | length | flagged: gap/fluency/any | LM tokens/resp | RM calls/resp | ms/resp |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in result.Summaries)
        {
            string versus = s.VersusBaseline is { } v
                ? string.Format(inv, "{0}/{1}/{2} ({3})", v.Wins, v.Ties, v.Losses, WithError(v.Score, v.StandardError, "F2"))
                : s.Setting == result.Baseline ? "baseline" : "–";
            text.AppendLine(string.Join(" | ", new[]
            {
                "| " + s.Setting.Replace("|", "\\|", StringComparison.Ordinal), s.Count.ToString(inv),
                WithError(s.GuidingReward, "F3"), WithError(s.HeldOutReward, "F3"), versus,
                WithError(s.Diversity, "F3"), WithError(s.Coherence, "F3"), WithError(s.Fluency, "F3"), WithError(s.Length, "F1"), Flags(s.Overoptimization),
                s.LmTokensPerResponse.ToString("F1", inv), s.RewardCallsPerResponse.ToString("F1", inv), s.MillisecondsPerResponse.ToString("F1", inv),
            }) + " |");
        }
        return text.ToString();
    }

    /// <summary>The CSV text (header + one record per setting, CRLF line ends).</summary>
    public static string ToCsv(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var writer = new CsvRecordWriter(stream, ComparisonResultFiles.CsvFileName, RecordFormat.Csv, new RecordWriterOptions { Columns = CsvColumns }, leaveOpen: true))
            writer.Write(result.Summaries.Select(CsvRow).ToArray());
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static DataRow CsvRow(StrategySummary s)
    {
        var row = new DataRow
        {
            ["setting"] = s.Setting,
            ["family"] = s.Family,
            ["n"] = s.Count,
        };
        Add(row, "guiding_reward", s.GuidingReward);
        Add(row, "held_out_reward", s.HeldOutReward);
        var v = s.VersusBaseline;
        row["wins"] = v?.Wins;
        row["ties"] = v?.Ties;
        row["losses"] = v?.Losses;
        row["win_score"] = Number(v?.Score);
        row["win_score_se"] = Number(v?.StandardError);
        row["held_out_difference"] = Number(v?.MeanDifference);
        row["held_out_difference_se"] = Number(v?.MeanDifferenceStandardError);
        Add(row, "diversity", s.Diversity);
        Add(row, "coherence", s.Coherence);
        Add(row, "fluency_nll", s.Fluency);
        Add(row, "length", s.Length);
        var flags = s.Overoptimization;
        row["flagged"] = flags.Checked == 0 ? null : flags.Flagged;
        row["flagged_reward_gap"] = flags.Checked == 0 ? null : flags.RewardGap;
        row["flagged_fluency"] = flags.Checked == 0 ? null : flags.Fluency;
        row["checked"] = flags.Checked;
        row["lm_tokens_per_response"] = Number(s.LmTokensPerResponse);
        row["lm_calls_per_response"] = Number(s.LmCallsPerResponse);
        row["rm_calls_per_response"] = Number(s.RewardCallsPerResponse);
        row["rm_tokens_per_response"] = Number(s.RewardTokensPerResponse);
        row["wall_seconds"] = Number(s.WallSeconds);
        row["ms_per_response"] = Number(s.MillisecondsPerResponse);
        return row;
    }

    private static string Flags(OveroptimizationCount c)
        => c.Checked == 0 ? "–" : string.Format(CultureInfo.InvariantCulture, "{0}/{1}/{2}", c.RewardGap, c.Fluency, c.Flagged);

    private static void Add(DataRow row, string name, MetricSummary metric)
    {
        row[name] = Number(metric.Mean);
        row[name + "_se"] = Number(metric.StandardError);
    }

    private static double? Number(double? value) => value is { } d && double.IsFinite(d) ? d : null;

    private static string WithError(MetricSummary metric, string format) => WithError(metric.Mean, metric.StandardError, format);

    private static string WithError(double mean, double error, string format)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!double.IsFinite(mean)) return "–";
        return double.IsFinite(error) ? $"{mean.ToString(format, inv)} ± {error.ToString(format, inv)}" : mean.ToString(format, inv);
    }
}
