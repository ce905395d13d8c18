using System.Management.Automation;
using AlignedGen.Data;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-RewardRelabel: scores every (prompt, response) row of a JSONL/CSV/TSV/Parquet file with one or more rewards
/// and writes the rows with reward columns to another file, through the core's durable, resumable RelabelJob. Input
/// files come from -Path (wildcards), -LiteralPath or the pipeline (Get-ChildItem output binds by PSPath / FullName);
/// each is one job, and a job that fails is a non-terminating error, so the other files still run. Runs on a worker
/// thread with Write-Progress; script-block rewards run on the pipeline thread. Writes one RelabelSummary per file.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RewardRelabel", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(RelabelSummary))]
public sealed class InvokeRewardRelabelCommand : RelabelFileCmdlet
{
    // Inputs (-Path or -LiteralPath) × shard (-ShardIndex/-ShardCount or -Shard text): four sets.
    private const string PathSet = "Path";
    private const string PathShardSet = "PathShard";
    private const string LiteralPathSet = "LiteralPath";
    private const string LiteralPathShardSet = "LiteralPathShard";
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private IReadOnlyList<RewardColumn>? _columns;
    private ShardSpec? _shard;

    /// <summary>The datasets to score (.jsonl, .csv, .tsv, .parquet); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathShardSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The datasets to score, taken literally (no wildcards); Get-ChildItem output binds here by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathShardSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Where the scored rows go (format from the extension). For several piped files give a script block, evaluated per
    /// file: -OutputPath { $_.BaseName + '.scored.jsonl' }.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
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
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateRange(0, int.MaxValue)]
    public int ShardIndex { get; set; }

    /// <summary>Number of shards the input is split into.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateRange(1, int.MaxValue)]
    public int ShardCount { get; set; } = 1;

    /// <summary>
    /// The shard as text: Auto (from a Slurm job array or a Kubernetes Indexed Job), Auto/COUNT (index from the scheduler,
    /// count given), or INDEX/COUNT (e.g. 0/4).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = PathShardSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathShardSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompletions("Auto", "0/2", "1/2")]
    public string Shard { get; set; } = string.Empty;

    /// <summary>(prompt, response) pairs per reward call and per durable write.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; } = AlignedGenDefaults.RelabelBatchSize;

    /// <summary>
    /// On by default: prompt, response and reference must be text and every row needs its id. -Strict:$false scores null
    /// or missing values as empty text and other values as their text, and identifies rows without an id by content.
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; } = new(true);

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            var sources = RewardModel.Select(r => OpenReward(r)).ToArray();
            _columns = RewardColumn is null
                ? Relabeling.RewardColumn.For(sources)
                : RewardColumn.Length == sources.Length
                    ? sources.Select((s, i) => new RewardColumn(s, RewardColumn[i])).ToArray()
                    : throw new ArgumentException($"-RewardColumn has {RewardColumn.Length} name(s) but -RewardModel has {sources.Length} reward(s); give one column per reward.", nameof(RewardColumn));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, ex is ArgumentException { ParamName: nameof(RewardColumn) } ? RewardColumn : null);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName is LiteralPathSet or LiteralPathShardSet;
        foreach (var typed in literal ? LiteralPath : Path)
        {
            foreach (var input in ResolveInputPaths(typed, literal))
            {
                if (Directory.Exists(input))
                {
                    WriteCoreError(new ArgumentException($"'{input}' is a folder; give a data file (.jsonl, .csv, .tsv, .parquet).", literal ? nameof(LiteralPath) : nameof(Path)), input);
                    continue;
                }
                Relabel(input, ResolveOutputPath(OutputPath));
            }
        }
    }

    /// <summary>The shard this process relabels; a -Shard the environment cannot resolve stops the command (it is no one file's fault).</summary>
    private ShardSpec ThisShard()
    {
        if (_shard is not null) return _shard;
        try
        {
            _shard = ParameterSetName is PathShardSet or LiteralPathShardSet ? ShardSpec.Parse(Shard) : new ShardSpec(ShardIndex, ShardCount);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, Shard);
        }
        return _shard;
    }

    private void Relabel(string input, string output)
    {
        if (_written.TryGetValue(output, out var earlier))
        {
            WriteError(new ErrorRecord(
                new IOException($"-OutputPath '{output}' was already written by this command from '{earlier}'. Give each input its own output, e.g. -OutputPath {{ $_.BaseName + '.scored.jsonl' }} for piped files."),
                AlignedGenErrorIds.OutputExists, ErrorCategory.ResourceExists, input));
            return;
        }
        if (OutputFile.SameFile(input, output))
        {
            WriteCoreError(new ArgumentException($"-OutputPath '{output}' is the input file (or a link to it); write the scores to another file.", nameof(OutputPath)), output);
            return;
        }
        if (JobFiles.Exists(output) && !Resume && !Force)
        {
            WriteError(new ErrorRecord(
                new IOException($"The output '{output}' (or an unfinished run's checkpoint beside it) exists. Give -Resume to continue the run that wrote it, -Force to start again and replace it, or another -OutputPath."),
                AlignedGenErrorIds.OutputExists, ErrorCategory.ResourceExists, output));
            return;
        }
        var shard = ThisShard();
        if (!ShouldProcess(output, $"Relabel '{input}' into")) return;
        _written[output] = input;
        try
        {
            var job = new RelabelJob(new RelabelOptions(input, output, _columns!)
            {
                Columns = InputColumns,
                BatchSize = BatchSize,
                Resume = Resume,
                Shard = shard,
                SkipBadRecords = SkipBadRecords,
                Strict = Strict,
            });
            var summary = RunInBackground(work =>
            {
                using var marshal = ScriptBlockRewardSource.MarshalTo(work);
                var progress = work.CreateProgress<RelabelProgress>($"Relabeling {System.IO.Path.GetFileName(input)}", p => new ProgressInfo(
                    $"{p.RowsDone} rows done, {p.RowsPerSecond:F1} rows/s" + (p.RowsSkipped > 0 ? $", {p.RowsSkipped} skipped" : ""),
                    p.RowsDone, p.TotalRows));
                return job.Run(progress, work.CancellationToken);
            });
            if (summary.SkippedCount > 0)
                WriteWarning($"{summary.SkippedCount} corrupt record(s) of '{input}' were skipped; see {summary.SkippedRecordsPath}.");
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
            if (ErrorRecordFactory.Unwrap(ex) is OperationCanceledException) ThrowCoreError(ex, input);
            // One file's failure does not stop the others; the target is the file at fault (the input unless the core names another).
            WriteCoreError(ex, ErrorRecordFactory.Unwrap(ex) is DataFileException ? null : input);
        }
    }
}
