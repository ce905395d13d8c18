using System.Management.Automation;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Reporting;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Export-AlignmentReport: writes a comparison as report.html plus charts/*.png with the reporting library's
/// <see cref="AlignmentReportWriter"/>, from a <see cref="ComparisonResult"/> (Compare-DecodingStrategy -PassThru) or a
/// comparison folder (read with <see cref="ComparisonResultFiles.Load"/>), and writes the FileInfo of report.html.
/// </summary>
[Cmdlet(VerbsData.Export, "AlignmentReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportAlignmentReportCommand : AlignedGenCmdlet
{
    private AlignmentReportOptions? _options;

    // One parameter set on purpose: with an -InputObject set and a -Path set that both take pipeline input, PowerShell
    // settles on the default set before it sees the piped object, so one of the two inputs could never bind.

    /// <summary>A comparison result, from Compare-DecodingStrategy -PassThru or ComparisonResultFiles.Load.</summary>
    [Parameter(ValueFromPipeline = true)]
    public ComparisonResult? InputObject { get; set; }

    /// <summary>A comparison folder (Compare-DecodingStrategy -OutputFolder, aligngen compare --output); binds FullName of piped Get-Item output.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The folder for report.html and charts/: required with -InputObject; with -Path the comparison folder itself when absent.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? OutputFolder { get; set; }

    /// <summary>The page title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = AlignmentReportOptions.DefaultTitle;

    /// <summary>How many prompts the side-by-side examples show (0 leaves them out).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int Examples { get; set; } = 5;

    /// <summary>Which reward the charts plot: Auto (held-out when measured, else guiding), HeldOut or Guiding.</summary>
    [Parameter]
    public ReportReward Reward { get; set; } = ReportReward.Auto;

    /// <summary>The x axis of the reward-against-cost chart.</summary>
    [Parameter]
    public ReportCostAxis CostAxis { get; set; } = ReportCostAxis.MillisecondsPerResponse;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _options = new AlignmentReportOptions(Title, Examples, reward: Reward, costAxis: CostAxis);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if ((InputObject is null) == (Path is null))
        {
            WriteError(new ErrorRecord(new ArgumentException(InputObject is null
                    ? "Give a comparison: -Path <comparison folder>, or pipe a ComparisonResult (Compare-DecodingStrategy -PassThru)."
                    : "Give either -Path or a ComparisonResult from the pipeline, not both.", nameof(Path)),
                AlignedGenErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, Path));
            return;
        }
        if (InputObject is not null)
        {
            if (OutputFolder is null)
            {
                WriteError(new ErrorRecord(new ArgumentException(
                        "A ComparisonResult has no folder of its own: give -OutputFolder for report.html and charts/.", nameof(OutputFolder)),
                    AlignedGenErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, InputObject.Generator));
                return;
            }
            Write(InputObject, ResolveOutputPath(OutputFolder));
            return;
        }
        var folder = ResolveOutputPath(Path!);
        if (!Directory.Exists(folder))
        {
            var missing = File.Exists(folder)
                ? new ArgumentException($"'{folder}' is a file; give the comparison folder (it holds {ComparisonResultFiles.ComparisonFileName}).", nameof(Path))
                : (Exception)new DirectoryNotFoundException($"The comparison folder '{folder}' does not exist.");
            WriteError(ErrorRecordFactory.WithId(missing, missing is ArgumentException ? AlignedGenErrorIds.NotAComparison : AlignedGenErrorIds.FileNotFound,
                missing is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.ObjectNotFound, folder));
            return;
        }
        if (!File.Exists(System.IO.Path.Combine(folder, ComparisonResultFiles.ComparisonFileName)))
        {
            WriteError(new ErrorRecord(new ArgumentException(
                    $"'{folder}' is not a comparison folder: it has no {ComparisonResultFiles.ComparisonFileName}. Give the folder Compare-DecodingStrategy -OutputFolder (or aligngen compare --output) wrote.", nameof(Path)),
                AlignedGenErrorIds.NotAComparison, ErrorCategory.InvalidArgument, folder));
            return;
        }
        ComparisonResult result;
        try
        {
            result = ComparisonResultFiles.Load(folder);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteCoreError(ex);
            return;
        }
        Write(result, OutputFolder is null ? folder : ResolveOutputPath(OutputFolder));
    }

    private void Write(ComparisonResult result, string outputFolder)
    {
        if (!ShouldProcess(outputFolder, "Write report.html and charts/")) return;
        AlignmentReport report;
        try
        {
            report = new AlignmentReportWriter(_options).Write(result, outputFolder, CancellationToken);
        }
        catch (ModelFolderException unwritable)
        {
            WriteError(ErrorRecordFactory.WithId(unwritable, AlignedGenErrorIds.OutputNotWritable, ErrorCategory.WriteError));
            return;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            if (ErrorRecordFactory.Unwrap(ex) is OperationCanceledException) ThrowCoreError(ex);
            WriteCoreError(ex, outputFolder);
            return;
        }
        foreach (var note in report.Notes) WriteVerbose(note);
        WriteObject(new FileInfo(report.HtmlPath));
    }
}
