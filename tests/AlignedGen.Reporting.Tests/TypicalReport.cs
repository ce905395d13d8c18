namespace AlignedGen.Reporting.Tests;

/// <summary>The typical synthetic comparison written once with the default options, shared by read-only tests.</summary>
public sealed class TypicalReport : IDisposable
{
    private readonly TempFolder _folder = new("typical");

    public TypicalReport()
    {
        Result = SyntheticComparison.Create();
        Report = new AlignmentReportWriter().Write(Result, _folder.Path);
        Page = ReportPage.Load(Report.HtmlPath);
    }

    public AlignedGen.Evaluation.ComparisonResult Result { get; }
    public AlignmentReport Report { get; }
    public ReportPage Page { get; }

    public void Dispose() => _folder.Dispose();
}
