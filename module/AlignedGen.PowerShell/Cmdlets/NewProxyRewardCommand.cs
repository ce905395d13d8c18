using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// New-ProxyReward: the proxy reward (repetition penalty, length incentive and prompt relevance from sentence
/// embeddings) with the packaged all-MiniLM-L6-v2 embedder, or with an ONNX sentence-embedding model folder.
/// </summary>
[Cmdlet(VerbsCommon.New, "ProxyReward")]
[OutputType(typeof(ProxyRewardSource))]
public sealed class NewProxyRewardCommand : AlignedGenCmdlet
{
    /// <summary>An ONNX sentence-embedding model folder (model.onnx + tokenizer); the packaged MiniLM when absent.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? EmbeddingModel { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string? folder = EmbeddingModel is null ? null : ResolveOutputPath(EmbeddingModel);
        try
        {
            WriteObject(folder is null
                ? ProxyRewardSource.CreateDefault()
                : new ProxyRewardSource(OnnxSentenceEmbedder.FromFolder(folder)));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, folder);
        }
    }
}
