using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>Options of <c>ApplyDarwinDecoding</c>: DARWIN's reward-guided instruction-mutation search over the LM, scored by a reward.</summary>
public sealed class DarwinDecodingOptions : DecodingTransformOptions
{
    /// <summary>DARWIN over the LM in <paramref name="modelFolder"/> scored by <paramref name="reward"/> (pass <see cref="DarwinOptions.Default"/> for the paper's settings).</summary>
    public DarwinDecodingOptions(string modelFolder, RewardReference reward, DarwinOptions darwin) : base(modelFolder)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "DARWIN needs a reward: RewardReference.FromFolder, RewardReference.Proxy, RewardReference.Composite or RewardReference.FromSource.");
        Darwin = darwin ?? throw new ArgumentNullException(nameof(darwin), "Pass DarwinOptions.Default for the paper's settings.");
        Strategy = DarwinOptions.Descriptor.Describe(darwin);
    }

    /// <summary>The reward that scores the beams.</summary>
    public RewardReference Reward { get; }

    /// <summary>The DARWIN settings (mutations, replacement period, kept states, iterations, sampling, mutation prompt).</summary>
    public DarwinOptions Darwin { get; }

    /// <inheritdoc />
    public override StrategySpec Strategy { get; }

    internal override RewardReference RewardReference => Reward;

    internal override string TransformName => "ApplyDarwinDecoding";
}
