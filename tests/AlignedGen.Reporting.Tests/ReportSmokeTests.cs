using Xunit;

namespace AlignedGen.Reporting.Tests;

public sealed class ReportSmokeTests
{
    [Fact]
    public void Writes_the_typical_report()
    {
        var folder = Environment.GetEnvironmentVariable("REPORT_OUT") ?? Path.Combine(Path.GetTempPath(), "report-smoke");
        var report = new AlignmentReportWriter().Write(SyntheticComparison.Create(), folder);
        Assert.Equal(4, report.Charts.Count);
    }
}
