using System.Text;
using AlignedGen.Evaluation;
using AlignedGen.Models;

namespace AlignedGen.Reporting;

/// <summary>
/// Writes a comparison as one self-contained HTML page (inline CSS, no scripts) plus PNG charts drawn with ScottPlot:
/// the summary table, reward against the ARGS weight w, reward against cost, reward distributions, win/tie/loss
/// against the baseline, and example responses side by side.
/// </summary>
public sealed class AlignmentReportWriter
{
    /// <summary>The page's file name inside the report folder.</summary>
    public const string HtmlFileName = "report.html";
    /// <summary>The charts' folder inside the report folder.</summary>
    public const string ChartsFolderName = "charts";

    private static readonly IReadOnlyDictionary<ReportChartKind, string> ChartFileNames = new Dictionary<ReportChartKind, string>
    {
        [ReportChartKind.RewardVersusWeight] = "reward-vs-w.png",
        [ReportChartKind.RewardVersusCost] = "reward-vs-cost.png",
        [ReportChartKind.RewardDistribution] = "reward-distribution.png",
        [ReportChartKind.WinTieLoss] = "win-tie-loss.png",
    };

    /// <summary>A writer with <paramref name="options"/> (the defaults when null).</summary>
    public AlignmentReportWriter(AlignmentReportOptions? options = null) => Options = options ?? AlignmentReportOptions.Default;

    /// <summary>How the reports look.</summary>
    public AlignmentReportOptions Options { get; }

    /// <summary>
    /// Writes <paramref name="folder"/>/report.html and <paramref name="folder"/>/charts/*.png (creating the folders;
    /// chart files of an earlier report that this one does not draw are removed) and returns what it wrote.
    /// </summary>
    public AlignmentReport Write(ComparisonResult result, string folder, CancellationToken cancellationToken = default)
    {
        Validate(result);
        if (string.IsNullOrWhiteSpace(folder))
            throw new ArgumentException($"The report folder must be a path, got '{folder}'. Pass the folder to write report.html into.", nameof(folder));
        cancellationToken.ThrowIfCancellationRequested();
        var root = Path.GetFullPath(folder);
        var chartsFolder = Path.Combine(root, ChartsFolderName);
        PrepareFolder(root, chartsFolder);

        var notes = new List<string>();
        var reward = PlottedReward.Choose(result, Options.Reward);
        var canvas = new ChartCanvas(Options.ChartWidth, Options.ChartHeight, ChartFonts.Resolve(Options.FontFamily), result.Summaries.Select(s => s.Setting));
        if (canvas.FontFamily is null)
            notes.Add("No font is installed, so the charts have no text (titles, axes, labels). Install one (on Debian: apt-get install fonts-dejavu-core) and write the report again.");
        var charts = new List<ReportChart>();
        string ChartPath(ReportChartKind kind) => Path.Combine(chartsFolder, ChartFileNames[kind]);

        void Add(ReportChartKind kind, bool drawable, Func<string, string, ReportChart> draw, string? note)
        {
            if (note is not null) notes.Add(note);
            if (drawable) charts.Add(Draw(() => draw(ChartPath(kind), ChartsFolderName + "/" + ChartFileNames[kind]), chartsFolder));
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (reward is null)
            notes.Add("No reward was measured (neither held-out nor guiding), so the reward charts are omitted.");
        else
        {
            var sweep = RewardVersusWeightChart.Build(result, reward, out var sweepNote);
            Add(ReportChartKind.RewardVersusWeight, sweep is not null, (path, relative) => RewardVersusWeightChart.Draw(sweep!, reward, canvas, path, relative), sweepNote);
            var tradeOff = RewardVersusCostChart.Build(result, reward, Options.CostAxis, out var tradeOffNote);
            Add(ReportChartKind.RewardVersusCost, tradeOff is not null, (path, relative) => RewardVersusCostChart.Draw(tradeOff!, reward, canvas, path, relative), tradeOffNote);
            var distribution = RewardDistributionChart.Build(result, reward, out var distributionNote);
            Add(ReportChartKind.RewardDistribution, distribution is not null, (path, relative) => RewardDistributionChart.Draw(distribution!, reward, canvas, path, relative), distributionNote);
        }
        var winTieLoss = WinTieLossChart.Build(result, out var winTieLossNote);
        Add(ReportChartKind.WinTieLoss, winTieLoss is not null, (path, relative) => WinTieLossChart.Draw(winTieLoss!, result.Baseline, canvas, path, relative), winTieLossNote);

        foreach (var stale in ChartFileNames.Keys.Where(k => charts.All(c => c.Kind != k)).Select(ChartPath).Where(File.Exists))
            File.Delete(stale);
        var htmlPath = Path.Combine(root, HtmlFileName);
        var page = ReportHtml.Compose(result, Options, reward, charts, notes);
        WriteFile(htmlPath, page);
        return new AlignmentReport { HtmlPath = htmlPath, Charts = charts, Notes = notes };
    }

    private static void Validate(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Summaries is null || result.Summaries.Count == 0)
            throw new ArgumentException("The comparison result has no settings (Summaries is empty), so there is nothing to report. Run the comparison with at least one setting.", nameof(result));
        if (result.Responses is null)
            throw new ArgumentException("The comparison result's Responses is null. Pass an empty list when no responses were kept.", nameof(result));
        var duplicate = result.Summaries.GroupBy(s => s.Setting, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The comparison result has {duplicate.Count()} settings labelled '{duplicate.Key}'. Give every setting a unique label.", nameof(result));
    }

    private static void PrepareFolder(string root, string chartsFolder)
    {
        if (File.Exists(root))
            throw new ModelFolderException(root, "is a file, not a folder.", "Pass a folder path (it is created when missing).");
        try
        {
            Directory.CreateDirectory(chartsFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException(chartsFolder, $"cannot be created: {e.Message}", "Pass a folder you can write to.", e);
        }
    }

    private static ReportChart Draw(Func<ReportChart> draw, string chartsFolder)
    {
        try
        {
            return draw();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException(chartsFolder, $"a chart cannot be written: {e.Message}", "Pass a folder you can write to.", e);
        }
    }

    private static void WriteFile(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException(path, $"cannot be written: {e.Message}", "Pass a folder you can write to.", e);
        }
    }
}
