using System.Management.Automation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Get-OnnxModelInfo: opens an ONNX model with ONNX Runtime (CPU) and reports its metadata, inputs and outputs. Takes a
/// .onnx file or a model folder (model.onnx, or its only .onnx file).
/// </summary>
[Cmdlet(VerbsCommon.Get, "OnnxModelInfo")]
[OutputType(typeof(OnnxModelInfo))]
public sealed class GetOnnxModelInfoCommand : AlignedGenCmdlet
{
    /// <summary>Model files or folders.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var typed in Path)
        {
            try
            {
                WriteObject(Read(FindModelFile(ResolveOutputPath(typed))));
            }
            catch (Exception ex) when (ex is ModelFolderException or IOException or UnauthorizedAccessException)
            {
                WriteCoreError(ex);
            }
        }
    }

    /// <summary>The .onnx file a path names: the file itself, or a folder's model.onnx or single .onnx file.</summary>
    private static string FindModelFile(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path))
            throw new ModelFolderException(path, "This file or folder does not exist.", "Pass the path of a .onnx file or of a folder that holds one.");
        var preferred = System.IO.Path.Combine(path, "model.onnx");
        if (File.Exists(preferred)) return preferred;
        var candidates = Directory.GetFiles(path, "*.onnx");
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new ModelFolderException(path, "The folder holds no .onnx file.", "Pass a folder with a model.onnx, or the .onnx file itself."),
            _ => throw new ModelFolderException(path,
                $"The folder holds {candidates.Length} .onnx files and no model.onnx ({string.Join(", ", candidates.Select(System.IO.Path.GetFileName))}).",
                "Pass the path of the .onnx file you mean."),
        };
    }

    private static OnnxModelInfo Read(string file)
    {
        InferenceSession session;
        AlignedGen.Models.OnnxRuntimeGuard.EnsureCompatible();
        try
        {
            session = new InferenceSession(file);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFolderException(file, $"ONNX Runtime cannot load this model: {ex.Message}", "Check that it is a complete .onnx file (and its external .onnx.data file, if any) exported with a supported opset.", ex);
        }
        using (session)
        {
            var metadata = session.ModelMetadata;
            return new OnnxModelInfo
            {
                Path = file,
                ProducerName = metadata.ProducerName,
                GraphName = metadata.GraphName,
                Domain = metadata.Domain,
                Version = metadata.Version,
                Description = metadata.Description,
                CustomMetadata = new Dictionary<string, string>(metadata.CustomMetadataMap),
                Inputs = Describe("Input", session.InputMetadata),
                Outputs = Describe("Output", session.OutputMetadata),
            };
        }
    }

    private static OnnxTensorInfo[] Describe(string direction, IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Select(node => new OnnxTensorInfo
        {
            Direction = direction,
            Name = node.Key,
            ElementType = node.Value.IsTensor ? node.Value.ElementDataType.ToString() : node.Value.OnnxValueType.ToString(),
            Dimensions = node.Value.IsTensor ? node.Value.Dimensions.Select(d => (long)d).ToArray() : Array.Empty<long>(),
            SymbolicDimensions = node.Value.IsTensor ? node.Value.SymbolicDimensions.ToArray() : Array.Empty<string>(),
        }).ToArray();
}
