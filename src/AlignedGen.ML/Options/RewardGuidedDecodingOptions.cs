using AlignedGen.Decoding;

namespace AlignedGen.ML;

/// <summary>Options of <c>ApplyRewardGuidedDecoding</c>: ARGS or Best-of-N guided by a reward. Exactly one of <see cref="Args"/> and <see cref="BestOfN"/> is set.</summary>
public sealed class RewardGuidedDecodingOptions : DecodingTransformOptions
{
    /// <summary>ARGS over the LM in <paramref name="modelFolder"/>, guided by <paramref name="reward"/> (pass <see cref="ArgsOptions.Default"/> for the paper's k = 10, w = 1, greedy).</summary>
    public RewardGuidedDecodingOptions(string modelFolder, RewardSpec reward, ArgsOptions args) : base(modelFolder)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "Reward-guided decoding needs a reward: RewardSpec.FromFolder, RewardSpec.Proxy or RewardSpec.FromSource.");
        Args = args ?? throw new ArgumentNullException(nameof(args), "Pass ArgsOptions.Default for the paper's settings.");
    }

    /// <summary>Best-of-N over the LM in <paramref name="modelFolder"/>, ranked by <paramref name="reward"/>.</summary>
    public RewardGuidedDecodingOptions(string modelFolder, RewardSpec reward, BestOfNOptions bestOfN) : base(modelFolder)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "Reward-guided decoding needs a reward: RewardSpec.FromFolder, RewardSpec.Proxy or RewardSpec.FromSource.");
        BestOfN = bestOfN ?? throw new ArgumentNullException(nameof(bestOfN), "Pass new BestOfNOptions() for the defaults.");
    }

    /// <summary>The reward that guides (ARGS) or ranks (Best-of-N).</summary>
    public RewardSpec Reward { get; }

    /// <summary>ARGS settings, or null for Best-of-N.</summary>
    public ArgsOptions? Args { get; }

    /// <summary>Best-of-N settings, or null for ARGS.</summary>
    public BestOfNOptions? BestOfN { get; }
}
