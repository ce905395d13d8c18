using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Import-RewardModel: loads an ONNX reward model folder (sequence classification, cached decoder or BERT-pair; detected
/// by RewardModelLoader.FromFolder) and writes the IRewardSource, to pass as -RewardModel or -Reward.
/// </summary>
[Cmdlet(VerbsData.Import, "RewardModel")]
[OutputType(typeof(OnnxRewardModel))]
public sealed class ImportRewardModelCommand : AlignedGenCmdlet
{
    /// <summary>The reward model folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var folder = ResolveOutputPath(Path);
        try
        {
            var model = RewardModelLoader.FromFolder(folder);
            foreach (var warning in model.Warnings) WriteWarning(warning);
            WriteObject(model);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, folder);
        }
    }
}
