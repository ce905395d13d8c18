using System.Management.Automation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Import-AlignedModel: loads an ONNX causal language model folder once (OnnxCausalLanguageModel.Load) and writes the
/// model object, to pass as -Model to Invoke-RewardGuidedDecode without reloading it per command.
/// </summary>
[Cmdlet(VerbsData.Import, "AlignedModel")]
[OutputType(typeof(OnnxCausalLanguageModel))]
public sealed class ImportAlignedModelCommand : AlignedGenCmdlet
{
    /// <summary>The model folder (model.onnx or decoder_model_merged.onnx, config.json, tokenizer files).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var folder = ResolveOutputPath(Path);
        try
        {
            var model = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(Device, DeviceId, AllowCpuFallback));
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
