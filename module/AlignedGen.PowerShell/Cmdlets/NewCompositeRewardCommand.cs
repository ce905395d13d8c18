using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// New-CompositeReward: a weighted sum of reward sources (CompositeRewardSource), R = Σ weight_i · score_i.
/// Sources come from -Reward (objects or reward model folders) or the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.New, "CompositeReward")]
[OutputType(typeof(CompositeRewardSource))]
public sealed class NewCompositeRewardCommand : AlignedGenCmdlet
{
    private readonly List<IRewardSource> _sources = new();

    /// <summary>The reward sources: objects from Import-RewardModel / New-*Reward, or reward model folders.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object[] Reward { get; set; } = Array.Empty<object>();

    /// <summary>One weight per source, in order; all 1 when absent.</summary>
    [Parameter(Position = 1)]
    public double[]? Weight { get; set; }

    /// <summary>The composite's name (in errors and reports); a description of the sum when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in Reward)
        {
            try
            {
                // The composite outlives this command: what a folder loads stays open with it (not in Opened).
                _sources.Add(ModelArguments.Reward(item, ResolveOutputPath, nameof(Reward)).Open().Value);
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                ThrowCoreError(ex, item);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var weights = Weight ?? Enumerable.Repeat(1.0, _sources.Count).ToArray();
        if (weights.Length != _sources.Count)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-Weight has {weights.Length} value(s) but -Reward has {_sources.Count} source(s); give one weight per source, in the same order.", nameof(Weight)),
                AlignedGenErrorIds.WeightCountMismatch, ErrorCategory.InvalidArgument, weights));
        }
        try
        {
            WriteObject(new CompositeRewardSource(_sources.Select((source, i) => new RewardComponent(source, weights[i])), Name));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }
}
