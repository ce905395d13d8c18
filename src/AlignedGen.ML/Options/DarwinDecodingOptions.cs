using AlignedGen.Decoding;

namespace AlignedGen.ML;

/// <summary>Options of <c>ApplyDarwinDecoding</c>: DARWIN's reward-guided instruction-mutation search over the LM, scored by a reward.</summary>
public sealed class DarwinDecodingOptions : DecodingTransformOptions
{
    /// <summary>DARWIN over the LM in <paramref name="modelFolder"/> scored by <paramref name="reward"/> (pass <see cref="DarwinOptions.Default"/> for the paper's settings).</summary>
    public DarwinDecodingOptions(string modelFolder, RewardSpec reward, DarwinOptions darwin) : base(modelFolder)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "DARWIN needs a reward: RewardSpec.FromFolder, RewardSpec.Proxy or RewardSpec.FromSource.");
        Darwin = darwin ?? throw new ArgumentNullException(nameof(darwin), "Pass DarwinOptions.Default for the paper's settings.");
    }

    /// <summary>The reward that scores the beams.</summary>
    public RewardSpec Reward { get; }

    /// <summary>The DARWIN settings (mutations, replacement period, kept states, iterations, sampling, mutation prompt).</summary>
    public DarwinOptions Darwin { get; }
}
