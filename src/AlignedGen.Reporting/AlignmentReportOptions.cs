namespace AlignedGen.Reporting;

/// <summary>How an alignment report looks: title, examples, chart size and what the charts plot. Validated on creation.</summary>
public sealed record AlignmentReportOptions
{
    /// <summary>The default page title.</summary>
    public const string DefaultTitle = "Alignment report";

    /// <summary>Report options; every argument is checked and a bad one throws naming the parameter, the value and the fix.</summary>
    public AlignmentReportOptions(string title = DefaultTitle, int examplePromptCount = 5, int chartWidth = 900,
        int chartHeight = 520, ReportReward reward = ReportReward.Auto,
        ReportCostAxis costAxis = ReportCostAxis.MillisecondsPerResponse, int maxExampleCharacters = 1200,
        string? fontFamily = null)
    {
        if (string.IsNullOrWhiteSpace(title))
            throw new ArgumentException($"The report title must not be empty, got '{title}'. Give a title such as \"{DefaultTitle}\".", nameof(title));
        if (examplePromptCount is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(examplePromptCount), examplePromptCount, $"The number of example prompts must be 0 to 100, got {examplePromptCount}. The default is 5; 0 leaves the examples out.");
        if (chartWidth is < 300 or > 4000)
            throw new ArgumentOutOfRangeException(nameof(chartWidth), chartWidth, $"The chart width must be 300 to 4000 pixels, got {chartWidth}. The default is 900.");
        if (chartHeight is < 200 or > 4000)
            throw new ArgumentOutOfRangeException(nameof(chartHeight), chartHeight, $"The chart height must be 200 to 4000 pixels, got {chartHeight}. The default is 520.");
        if (!Enum.IsDefined(reward))
            throw new ArgumentOutOfRangeException(nameof(reward), reward, $"Unknown reward {reward}. Use one of {string.Join(", ", Enum.GetNames<ReportReward>())}.");
        if (!Enum.IsDefined(costAxis))
            throw new ArgumentOutOfRangeException(nameof(costAxis), costAxis, $"Unknown cost axis {costAxis}. Use one of {string.Join(", ", Enum.GetNames<ReportCostAxis>())}.");
        if (maxExampleCharacters < 20)
            throw new ArgumentOutOfRangeException(nameof(maxExampleCharacters), maxExampleCharacters, $"Example responses must be allowed at least 20 characters, got {maxExampleCharacters}. The default is 1200.");
        if (fontFamily is not null && !ChartFonts.IsInstalled(fontFamily))
            throw new ArgumentException($"The chart font family '{fontFamily}' is not installed. Installed families: {string.Join(", ", ChartFonts.InstalledFamilies())}. Pick one of them, or pass null to choose automatically.", nameof(fontFamily));
        Title = title;
        ExamplePromptCount = examplePromptCount;
        ChartWidth = chartWidth;
        ChartHeight = chartHeight;
        Reward = reward;
        CostAxis = costAxis;
        MaxExampleCharacters = maxExampleCharacters;
        FontFamily = fontFamily;
    }

    /// <summary>The page title (also the HTML &lt;title&gt;).</summary>
    public string Title { get; }
    /// <summary>How many prompts the side-by-side examples show (the first ones in input order).</summary>
    public int ExamplePromptCount { get; }
    /// <summary>Width of every chart in pixels.</summary>
    public int ChartWidth { get; }
    /// <summary>Height of every chart in pixels.</summary>
    public int ChartHeight { get; }
    /// <summary>Which reward the charts plot.</summary>
    public ReportReward Reward { get; }
    /// <summary>The trade-off chart's x axis.</summary>
    public ReportCostAxis CostAxis { get; }
    /// <summary>Example responses longer than this are cut with an ellipsis.</summary>
    public int MaxExampleCharacters { get; }
    /// <summary>Font family of the chart texts; null picks an installed sans-serif family.</summary>
    public string? FontFamily { get; }

    /// <summary>The defaults.</summary>
    public static AlignmentReportOptions Default { get; } = new();
}
