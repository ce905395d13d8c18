using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>Options of <c>GenerateText</c>: plain greedy or sampled decoding, optionally scoring each response with a reward.</summary>
public sealed class GenerateTextOptions : DecodingTransformOptions
{
    private readonly SamplingOptions _sampling = SamplingOptions.Greedy;

    /// <summary>Greedy decoding with the LM in <paramref name="modelFolder"/>; set <see cref="Sampling"/> to sample.</summary>
    public GenerateTextOptions(string modelFolder) : base(modelFolder)
    {
    }

    /// <summary>How tokens are picked (default greedy).</summary>
    public SamplingOptions Sampling
    {
        get => _sampling;
        init => _sampling = value ?? throw new ArgumentNullException(nameof(Sampling), "Pass SamplingOptions.Greedy for greedy decoding.");
    }

    /// <summary>Optional reward that scores every response into <see cref="DecodingTransformOptions.RewardColumnName"/>; null = no reward column.</summary>
    public RewardReference? Reward { get; init; }

    /// <inheritdoc />
    public override StrategySpec Strategy => StrategySpec.From(Sampling);

    internal override RewardReference? RewardReference => Reward;

    internal override string TransformName => "GenerateText";
}
