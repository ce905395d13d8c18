using AlignedGen.Rewards;

namespace AlignedGen.Tests.Rewards;

internal static class RewardModelLoaderTestHelpers
{
    /// <summary>Opens a shared rm-llama model without a tokenizer (token-id path only), picking the class by folder.</summary>
    public static OnnxRewardModel OpenById(string folder, RewardModelOptions options)
    {
        var path = Path.Combine(folder, "model.onnx");
        return folder.EndsWith("cached", StringComparison.Ordinal)
            ? new CachedDecoderRewardModel(path, null, options)
            : new SequenceClassificationRewardModel(path, null, options);
    }
}
