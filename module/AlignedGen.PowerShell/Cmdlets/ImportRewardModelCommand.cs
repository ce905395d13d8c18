using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Import-RewardModel: loads an ONNX reward model folder (sequence classification, cached decoder or BERT-pair; detected
/// by RewardModelLoader.FromFolder) and writes the IRewardSource, to pass as -RewardModel or -Reward. -Repository brings
/// the folder from the Hugging Face Hub first (<see cref="ModelImportCmdlet"/>).
/// </summary>
[Cmdlet(VerbsData.Import, "RewardModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(OnnxRewardModel))]
public sealed class ImportRewardModelCommand : ModelImportCmdlet
{
    /// <summary>The reward model folder, or an hf:org/name[@revision][/subfolder] reference.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// Threads the reward model uses for one operator; 0 (default) gives one per physical core to models of 32 MiB of
    /// weights or more and one to smaller models.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int ThreadCount { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var folder = ModelTarget(Path);
        try
        {
            folder = ResolveModelFolder(Path, Models.ExecutionDevice.Cpu);
            var model = RewardModelLoader.FromFolder(folder, new RewardModelOptions { Execution = new Models.ExecutionOptions(intraOpThreads: ThreadCount) });
            foreach (var warning in model.Warnings) WriteWarning(warning);
            WriteObject(model);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, folder);
        }
    }
}
