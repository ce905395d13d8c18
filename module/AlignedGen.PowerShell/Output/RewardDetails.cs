using System.Globalization;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Output;

/// <summary>One line describing a reward for the format views (AlignedGen.Format.ps1xml): what it is built from.</summary>
public static class RewardDetails
{
    /// <summary>"SequenceClassification, /m/rm (incremental)", "0.5 × rm + 1 × len", "embedder all-MiniLM-L6-v2", ...</summary>
    public static string Describe(object? reward) => reward switch
    {
        OnnxRewardModel onnx => $"{onnx.Kind}, {onnx.InputFormat.Name}{(onnx is ICandidateScoringSource ? ", incremental" : "")}: {onnx.ModelPath}",
        CompositeRewardSource composite => string.Join(" + ", composite.Components.Select(c =>
            $"{c.Weight.ToString("G4", CultureInfo.InvariantCulture)} × {c.Source.Name}")),
        ProxyRewardSource proxy => proxy.Embedder is null ? "repetition and length (no embedder)" : $"repetition, length and relevance (embedder {proxy.Embedder.GetType().Name})",
        ScriptBlockRewardSource script => $"{{ {Shorten(script.ScriptBlock.ToString().Trim())} }}, {script.PairsScored} pair(s) scored",
        IRewardSource other => other.GetType().Name,
        _ => "",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
