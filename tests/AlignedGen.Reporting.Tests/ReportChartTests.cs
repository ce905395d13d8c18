using SkiaSharp;
using Xunit;

namespace AlignedGen.Reporting.Tests;

/// <summary>The chart PNGs of the typical report: valid files of the chosen size with drawn content and rendered text.</summary>
public sealed class ReportChartTests(TypicalReport typical) : IClassFixture<TypicalReport>
{
    [Fact]
    public void Every_chart_is_a_valid_png_of_the_chosen_size_with_drawn_content()
    {
        Assert.Equal(4, typical.Report.Charts.Count);
        foreach (var chart in typical.Report.Charts)
        {
            var png = PngFile.Read(chart.Path);
            Assert.Equal((AlignmentReportOptions.Default.ChartWidth, AlignmentReportOptions.Default.ChartHeight), (png.Width, png.Height));
            Assert.Equal((png.Width, png.Height), (chart.Width, chart.Height));
            Assert.True(png.DistinctColors() > 30, $"{chart.RelativePath} has only {png.DistinctColors()} colours");
        }
    }

    [Fact]
    public void Chart_text_is_rendered()
    {
        // The title is the only thing in the top band and the x-axis title the only thing in the bottom band: dark
        // pixels there are glyphs, which Skia leaves out when it finds no usable font.
        foreach (var chart in typical.Report.Charts)
        {
            var png = PngFile.Read(chart.Path);
            var titleBand = png.DarkPixels(new SKRectI(0, 0, png.Width, 30));
            var axisTitleBand = png.DarkPixels(new SKRectI(0, png.Height - 22, png.Width, png.Height));
            Assert.True(titleBand > 150, $"{chart.RelativePath}: the title band has {titleBand} dark pixels");
            if (chart.Kind != ReportChartKind.RewardDistribution) // its x axis has slanted setting names, no axis title
                Assert.True(axisTitleBand > 60, $"{chart.RelativePath}: the x-axis title band has {axisTitleBand} dark pixels");
        }
    }

    [Fact]
    public void A_png_with_a_bad_signature_or_header_is_refused_by_the_check()
    {
        var bytes = File.ReadAllBytes(typical.Report.Charts[0].Path);
        var wrongSignature = (byte[])bytes.Clone();
        wrongSignature[1] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => PngFile.Read(wrongSignature));
        var wrongHeader = (byte[])bytes.Clone();
        wrongHeader[12] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => PngFile.Read(wrongHeader));
    }
}
