using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-RewardRelabel: scores every (prompt, response) row of a JSONL/CSV/TSV/Parquet file with one or more rewards
/// and writes the rows with reward columns to another file, through the core's durable, resumable RelabelJob. Runs on
/// a worker thread with Write-Progress; script-block rewards run on the pipeline thread. Writes the RelabelSummary.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RewardRelabel", SupportsShouldProcess = true)]
[OutputType(typeof(RelabelSummary))]
public sealed class InvokeRewardRelabelCommand : AlignedGenCmdlet
{

    /// <summary>The dataset to score (.jsonl, .csv, .tsv, .parquet).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string InputPath { get; set; } = string.Empty;

    /// <summary>Where the scored rows go (format from the extension).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>One or more rewards (objects or reward model folders).</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public object[] RewardModel { get; set; } = Array.Empty<object>();

    /// <summary>Output column per reward, in order; "reward" (one reward) or "reward_&lt;name&gt;" when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RewardColumn { get; set; }

    /// <summary>Continue a run that stopped: rows already in the output are checked against the input and skipped.</summary>
    [Parameter]
    public SwitchParameter Resume { get; set; }

    /// <summary>Overwrite an existing output file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>This process's shard (0-based); use with -ShardCount and a separate -OutputPath per shard.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int ShardIndex { get; set; }

    /// <summary>Number of shards the input is split into.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ShardCount { get; set; } = 1;

    /// <summary>(prompt, response) pairs per reward call and per durable write.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; } = AlignedGenDefaults.RelabelBatchSize;

    /// <summary>Row id column (resume and sharding); "none" to identify rows by a hash of their content.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string IdColumn { get; set; } = "id";

    /// <summary>Prompt column.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PromptColumn { get; set; } = "prompt";

    /// <summary>Response column (text, or a list of texts).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ResponseColumn { get; set; } = "response";

    /// <summary>Reference answer column handed to the rewards.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReferenceColumn { get; set; }

    /// <summary>Skip corrupt records (listed in &lt;output&gt;.skipped.jsonl) instead of stopping.</summary>
    [Parameter]
    public SwitchParameter SkipBadRecords { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var input = ResolveOutputPath(InputPath);
        var output = ResolveOutputPath(OutputPath);
        if (OutputFile.SameFile(input, output))
            ThrowCoreError(new ArgumentException($"-OutputPath '{output}' is the input file (or a link to it); write the scores to another file.", nameof(OutputPath)), output);
        if (JobFiles.Exists(output) && !Resume && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The output '{output}' (or an unfinished run's checkpoint beside it) exists. Give -Resume to continue the run that wrote it, -Force to start again and replace it, or another -OutputPath."),
                AlignedGenErrorIds.OutputExists, ErrorCategory.ResourceExists, output));
        }
        if (!ShouldProcess(output, $"Relabel '{input}' into")) return;
        RelabelJob job;
        try
        {
            var sources = RewardModel.Select(r => OpenReward(r)).ToArray();
            IReadOnlyList<RewardColumn> columns = RewardColumn is null
                ? Relabeling.RewardColumn.For(sources)
                : RewardColumn.Length == sources.Length
                    ? sources.Select((s, i) => new RewardColumn(s, RewardColumn[i])).ToArray()
                    : throw new ArgumentException($"-RewardColumn has {RewardColumn.Length} name(s) but -RewardModel has {sources.Length} reward(s); give one column per reward.", nameof(RewardColumn));
            job = new RelabelJob(new RelabelOptions(input, output, columns)
            {
                Columns = new ColumnMap
                {
                    Id = string.Equals(IdColumn, "none", StringComparison.OrdinalIgnoreCase) ? null : IdColumn,
                    Prompt = PromptColumn,
                    Response = ResponseColumn,
                    Reference = ReferenceColumn,
                },
                BatchSize = BatchSize,
                Resume = Resume,
                Shard = new ShardSpec(ShardIndex, ShardCount),
                SkipBadRecords = SkipBadRecords,
            });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
            return;
        }
        try
        {
            var summary = RunInBackground(work =>
            {
                using var marshal = ScriptBlockRewardSource.MarshalTo(work);
                var progress = work.CreateProgress<RelabelProgress>($"Relabeling {Path.GetFileName(input)}", p => new ProgressInfo(
                    $"{p.RowsDone} rows done, {p.RowsPerSecond:F1} rows/s" + (p.RowsSkipped > 0 ? $", {p.RowsSkipped} skipped" : ""),
                    p.RowsDone, p.TotalRows));
                return job.Run(progress, work.CancellationToken);
            });
            if (summary.SkippedCount > 0)
                WriteWarning($"{summary.SkippedCount} corrupt record(s) were skipped; see {summary.SkippedRecordsPath}.");
            WriteObject(summary);
        }
        catch (JobMismatchException ex)
        {
            // The core's fix names C# options; here a restart is -Force.
            ThrowCoreError(new JobMismatchException(ex.Path, ex.LineNumber, ex.Problem, ex.Differences,
                "write to another -OutputPath, or run again with -Force to discard it and start again."), output);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, output);
        }
    }
}
