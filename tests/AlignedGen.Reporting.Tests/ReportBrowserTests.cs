using System.Diagnostics;
using System.Text.Json.Nodes;
using AlignedGen.Reporting.Tests.Browser;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Reporting.Tests;

/// <summary>Opens a written report in headless Chromium over the DevTools protocol, as a reader would, and checks what it shows.</summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    private const int ViewportWidth = 1280;

    private const string PageFacts = """
        JSON.stringify({
          images: [...document.images].map(i => {
            const r = i.getBoundingClientRect();
            return { src: i.getAttribute('src'), alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth,
                     naturalHeight: i.naturalHeight, x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
          }),
          rows: [...document.querySelectorAll('table.summary tbody tr')].map(r => r.getAttribute('data-setting')),
          table: (() => { const r = document.querySelector('table.summary').getBoundingClientRect();
                          return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; })(),
          scripts: document.scripts.length,
          title: document.title
        })
        """;

    [SkippableFact]
    public async Task Chromium_shows_every_chart_and_the_summary_table()
    {
        var executable = HeadlessChromium.FindExecutable();
        Skip.If(executable is null, "Chromium is not installed (/usr/bin/chromium): build/setup.sh installs Debian's chromium when run as root; set CHROMIUM_PATH to use another.");
        using var folder = new TempFolder("browser");
        var result = SyntheticComparison.Create();
        var options = new AlignmentReportOptions(title: "Browser check");
        var report = new AlignmentReportWriter(options).Write(result, folder.Path);
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using var browser = await HeadlessChromium.StartAsync(executable!, timeout.Token);
        var tab = await BrowserTab.OpenAsync(browser, ViewportWidth, 900, timeout.Token);
        await tab.NavigateAsync(new Uri(report.HtmlPath), timeout.Token);
        var facts = JsonNode.Parse((string)(await tab.EvaluateAsync(PageFacts, timeout.Token))!)!;
        var screenshot = await tab.CaptureFullPageAsync(12000, timeout.Token);
        var shotPath = Path.Combine(AppContext.BaseDirectory, "screenshots", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shotPath)!);
        await File.WriteAllBytesAsync(shotPath, screenshot, timeout.Token);
        output.WriteLine($"Chromium loaded, checked and shot the page in {watch.ElapsedMilliseconds} ms; screenshot: {shotPath}");

        Assert.Equal("Browser check", (string?)facts["title"]);
        Assert.Equal(0, (int)facts["scripts"]!);
        // Every chart is an <img> that the browser loaded at the size it was drawn.
        var images = facts["images"]!.AsArray();
        Assert.Equal(report.Charts.Select(c => c.RelativePath), images.Select(i => (string?)i!["src"]));
        foreach (var image in images.Select(i => i!))
        {
            Assert.True((bool)image["complete"]!, $"{image["src"]} did not finish loading");
            Assert.Equal(options.ChartWidth, (int)image["naturalWidth"]!);
            Assert.Equal(options.ChartHeight, (int)image["naturalHeight"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)image["alt"]));
        }
        // The summary table has one row per setting, in table order.
        Assert.Equal(result.Summaries.Select(s => s.Setting), facts["rows"]!.AsArray().Select(r => (string?)r));

        // The screenshot itself shows them: each chart's and the table's area is drawn, not blank.
        var shot = PngFile.Read(screenshot);
        Assert.Equal(ViewportWidth, shot.Width);
        Assert.True(shot.DistinctColors(step: 4) > 50, "the screenshot is (nearly) blank");
        foreach (var image in images.Select(i => i!))
        {
            var area = Area(image);
            Assert.True(area.Bottom <= shot.Height, $"{image["src"]} lies below the screenshot");
            Assert.True(shot.DistinctColors(area, step: 2) > 20, $"{image["src"]} shows as a blank area in the screenshot");
            Assert.True(shot.DarkPixels(area) > 500, $"{image["src"]} shows no text or lines in the screenshot");
        }
        var table = Area(facts["table"]!);
        Assert.True(shot.DarkPixels(table) > 1000, "the summary table shows no text in the screenshot");
    }

    private static SKRectI Area(JsonNode rect)
    {
        int x = (int)(double)rect["x"]!, y = (int)(double)rect["y"]!;
        return new SKRectI(x, y, x + (int)(double)rect["width"]!, y + (int)(double)rect["height"]!);
    }
}
