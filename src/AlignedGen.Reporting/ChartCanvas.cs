using ScottPlot;
using SkiaSharp;

namespace AlignedGen.Reporting;

/// <summary>What every chart of one report shares: size, font, one colour per setting, and saving to PNG.</summary>
internal sealed class ChartCanvas
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();
    private readonly Dictionary<string, Color> _colors;

    public ChartCanvas(int width, int height, string? fontFamily, IEnumerable<string> settings)
    {
        Width = width;
        Height = height;
        FontFamily = fontFamily;
        _colors = settings.Select((label, index) => (label, color: Palette.GetColor(index)))
            .ToDictionary(p => p.label, p => p.color, StringComparer.Ordinal);
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>The font family of every text; null when the machine has none (texts are then missing from the PNGs).</summary>
    public string? FontFamily { get; }

    /// <summary>The setting's colour, the same in every chart.</summary>
    public Color ColorOf(string setting) => _colors.TryGetValue(setting, out var color) ? color : Colors.Gray;

    /// <summary>A white plot with a title and axis labels.</summary>
    public Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, (float)Math.Min(18, (Width - 20) / (0.62 * title.Length))); // smaller on narrow charts, so it fits
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        return plot;
    }

    /// <summary>Font size of point labels.</summary>
    public const float LabelFontSize = 12;

    /// <summary>The pixel size of a point label's text.</summary>
    public (double Width, double Height) MeasureLabel(string text)
    {
        using var typeface = FontFamily is null ? SKTypeface.Default : SKTypeface.FromFamilyName(FontFamily);
        using var font = new SKFont(typeface, LabelFontSize);
        return (font.MeasureText(text) + 2, font.Spacing);
    }

    /// <summary>A text label beside a data point, where <paramref name="placement"/> puts it.</summary>
    public void AddLabel(Plot plot, string text, double x, double y, Color color, LabelPlacer.Placement placement)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontSize = LabelFontSize;
        label.LabelFontColor = color;
        label.LabelAlignment = (placement.RightOfPoint, placement.AbovePoint) switch
        {
            (true, true) => Alignment.LowerLeft,
            (true, false) => Alignment.UpperLeft,
            (false, true) => Alignment.LowerRight,
            _ => Alignment.UpperRight,
        };
        label.OffsetX = placement.OffsetX;
        label.OffsetY = placement.OffsetY;
        if (FontFamily is not null) label.LabelFontName = FontFamily;
    }

    /// <summary>Sets the font everywhere, renders the plot to <paramref name="path"/> and describes it.</summary>
    public ReportChart Save(Plot plot, ReportChartKind kind, string path, string relativePath, string title, string altText, string caption)
    {
        if (FontFamily is not null)
        {
            plot.Font.Set(FontFamily);
            plot.Legend.FontName = FontFamily;
        }
        using (plot) plot.SavePng(path, Width, Height);
        return new ReportChart(kind, path, relativePath, title, altText, caption, Width, Height);
    }
}
