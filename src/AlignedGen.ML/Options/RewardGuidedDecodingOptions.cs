using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>
/// Options of <c>ApplyRewardGuidedDecoding</c>: any registered strategy (ARGS, Best-of-N, ... — see
/// <see cref="StrategyRegistry"/>) with a reward that guides or ranks it. A strategy that uses no reward (greedy,
/// sample) decodes as usual and its responses are scored by the reward afterwards.
/// </summary>
public sealed class RewardGuidedDecodingOptions : DecodingTransformOptions
{
    /// <summary>ARGS over the LM in <paramref name="modelFolder"/>, guided by <paramref name="reward"/> (pass <see cref="ArgsOptions.Default"/> for the paper's k = 10, w = 1, greedy).</summary>
    public RewardGuidedDecodingOptions(string modelFolder, RewardReference reward, ArgsOptions args)
        : this(modelFolder, reward, StrategySpec.From(args ?? throw new ArgumentNullException(nameof(args), "Pass ArgsOptions.Default for the paper's settings.")))
    {
    }

    /// <summary>Best-of-N over the LM in <paramref name="modelFolder"/>, ranked by <paramref name="reward"/>.</summary>
    public RewardGuidedDecodingOptions(string modelFolder, RewardReference reward, BestOfNOptions bestOfN)
        : this(modelFolder, reward, StrategySpec.From(bestOfN ?? throw new ArgumentNullException(nameof(bestOfN), "Pass new BestOfNOptions() for the defaults.")))
    {
    }

    /// <summary>Any registered strategy (e.g. <c>StrategySpec.Parse("args w=1.5 k=10")</c>) over the LM in <paramref name="modelFolder"/>, with <paramref name="reward"/>.</summary>
    public RewardGuidedDecodingOptions(string modelFolder, RewardReference reward, StrategySpec strategy) : base(modelFolder)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "Reward-guided decoding needs a reward: RewardReference.FromFolder, RewardReference.Proxy, RewardReference.Composite or RewardReference.FromSource.");
        Strategy = strategy ?? throw new ArgumentNullException(nameof(strategy), "Pass a strategy spec, e.g. StrategySpec.Parse(\"args\").");
    }

    /// <summary>The reward that guides (ARGS) or ranks (Best-of-N) the responses.</summary>
    public RewardReference Reward { get; }

    /// <inheritdoc />
    public override StrategySpec Strategy { get; }

    /// <summary>ARGS settings, or null for another strategy.</summary>
    public ArgsOptions? Args => Strategy.Options as ArgsOptions;

    /// <summary>Best-of-N settings, or null for another strategy.</summary>
    public BestOfNOptions? BestOfN => Strategy.Options as BestOfNOptions;

    internal override RewardReference RewardReference => Reward;

    internal override string TransformName => "ApplyRewardGuidedDecoding";
}
