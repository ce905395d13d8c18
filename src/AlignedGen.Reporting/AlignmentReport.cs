namespace AlignedGen.Reporting;

/// <summary>What <see cref="AlignmentReportWriter.Write"/> wrote: the HTML page, its charts and notes on what was left out.</summary>
public sealed record AlignmentReport
{
    /// <summary>Absolute path of report.html.</summary>
    public required string HtmlPath { get; init; }
    /// <summary>The charts written, in page order.</summary>
    public required IReadOnlyList<ReportChart> Charts { get; init; }
    /// <summary>Why a chart was omitted or what it could not show (also printed in the page).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Every file written: the HTML page first, then the chart PNGs.</summary>
    public IReadOnlyList<string> Files => [HtmlPath, .. Charts.Select(c => c.Path)];
}
