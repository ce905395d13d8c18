using System.Management.Automation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Import-AlignedModel: loads an ONNX causal language model folder once (OnnxCausalLanguageModel.Load) and writes the
/// model object, to pass as -Model to Invoke-RewardGuidedDecode without reloading it per command. -Repository brings
/// the folder from the Hugging Face Hub first (<see cref="ModelImportCmdlet"/>).
/// </summary>
[Cmdlet(VerbsData.Import, "AlignedModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(OnnxCausalLanguageModel))]
public sealed class ImportAlignedModelCommand : ModelImportCmdlet
{
    /// <summary>The model folder (model.onnx or genai_config.json's decoder file, config.json, tokenizer files), or an hf:org/name[@revision][/subfolder] reference.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Where the model runs: Cpu (default) or Cuda.</summary>
    [Parameter]
    public ExecutionDevice Device { get; set; } = ExecutionDevice.Cpu;

    /// <summary>The GPU index for -Device Cuda.</summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int DeviceId { get; set; }

    /// <summary>Fall back to the CPU (with a report in ExecutionReport) when CUDA cannot be used.</summary>
    [Parameter]
    public SwitchParameter AllowCpuFallback { get; set; }

    /// <summary>
    /// Threads the model uses for one operator; 0 (default) gives one per physical core to models of 32 MiB of weights or
    /// more and one to smaller models.
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
            folder = ResolveModelFolder(Path, Device);
            var model = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(Device, DeviceId, AllowCpuFallback, ThreadCount));
            WriteVerbose(model.ExecutionReport);
            if (model.ExecutionReport.Contains("fallback", StringComparison.Ordinal)) WriteWarning("Running on " + model.ExecutionReport);
            WriteObject(model);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            // A CUDA failure is about the device, not the folder.
            ThrowCoreError(ex, ex is CudaUnavailableException cuda ? $"cuda:{cuda.DeviceId}" : folder);
        }
    }
}
