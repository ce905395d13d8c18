using AlignedGen.Jobs;
using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Merge-RelabelShard: joins the outputs of a sharded Invoke-RewardRelabel (-ShardIndex i -ShardCount n) back into the
/// input's row order through the core's <see cref="DatasetShards"/>, which reads the job from the shards' manifests and
/// checks every shard is there, finished and of one job, and every row belongs where it lands, so the result equals one
/// unsharded run. Shard outputs come from -ShardPath (wildcards; shard 0 first) or the pipeline
/// (Get-ChildItem output binds by PSPath / FullName); the merge runs once all of them are in.
/// </summary>
[Cmdlet(VerbsData.Merge, "RelabelShard", SupportsShouldProcess = true)]
[OutputType(typeof(MergedRelabelShards))]
public sealed class MergeRelabelShardCommand : AlignedGenCmdlet
{
    private readonly List<string> _shards = new();

    /// <summary>The shard outputs in shard order (shard 0 of n first); wildcards allowed (matches are taken in name order).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] ShardPath { get; set; } = Array.Empty<string>();

    /// <summary>The input every shard was relabeled from.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string InputPath { get; set; } = string.Empty;

    /// <summary>The merged file (.jsonl, .csv, .tsv or .parquet).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>Overwrite an existing merged file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var typed in ShardPath)
            _shards.AddRange(ResolveInputPaths(typed, literal: false));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var input = ResolveOutputPath(InputPath);
        var output = ResolveOutputPath(OutputPath);
        if (_shards.Count == 0) return; // every -ShardPath was reported as not found
        if (File.Exists(output) && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The output '{output}' exists. Give -Force to overwrite it, or another -OutputPath."),
                AlignedGenErrorIds.OutputExists, ErrorCategory.ResourceExists, output));
        }
        if (!ShouldProcess(output, $"Merge {_shards.Count} relabel shard(s) of '{input}' into")) return;
        try
        {
            // The shards' manifests carry the job (input, columns, shard assignment, rewards): the merge checks that every
            // shard is there, finished and of one job, and reads the rows' order from the input.
            var shards = _shards.ToArray();
            var rows = RunInBackground(work => DatasetShards.Merge(shards, output, input, cancellationToken: work.CancellationToken));
            WriteObject(new MergedRelabelShards { InputPath = input, OutputPath = output, ShardCount = shards.Length, RowCount = rows });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }
}
