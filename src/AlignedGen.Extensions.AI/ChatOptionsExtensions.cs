using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>
/// Chooses AlignedGen's decoding for one call through ChatOptions, the way provider settings travel in
/// Microsoft.Extensions.AI: <c>new ChatOptions { MaxOutputTokens = 64 }.WithArgs(weight: 1.5, topK: 10)</c>. Each method
/// sets the typed <see cref="AlignedDecoding"/> in AdditionalProperties and returns the same options.
/// </summary>
public static class ChatOptionsExtensions
{
    /// <summary>ARGS (Khanov et al.): each step scores the top-k tokens as logit + weight · reward; greedy unless stochastic.</summary>
    public static ChatOptions WithArgs(this ChatOptions options, double weight = AlignedGenDefaults.ArgsWeight, int topK = AlignedGenDefaults.ArgsTopK,
        bool stochastic = false, double temperature = AlignedGenDefaults.ArgsTemperature) =>
        options.WithStrategy(new ArgsStrategy(new ArgsOptions(topK, weight, stochastic, temperature)));

    /// <summary>Best-of-N inside the model: N samples at <paramref name="temperature"/>, the reward keeps the best.</summary>
    public static ChatOptions WithBestOfN(this ChatOptions options, int n = AlignedGenDefaults.BestOfN, double temperature = AlignedGenDefaults.Temperature) =>
        options.WithStrategy(new BestOfNStrategy(new BestOfNOptions(n, new SamplingOptions(temperature))));

    /// <summary>A strategy from a text spec, as the CLI and Compare-DecodingStrategy read them: "greedy", "args w=1.5 k=10", "best-of-8", "darwin".</summary>
    public static ChatOptions WithStrategy(this ChatOptions options, string spec) =>
        options.WithStrategy(ComparisonSettingSpec.Parse(spec).Strategy);

    /// <summary>Any decoding strategy object.</summary>
    public static ChatOptions WithStrategy(this ChatOptions options, IDecodingStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return options.Set(options.GetAlignedDecoding() is { } current ? current with { Strategy = strategy } : new AlignedDecoding(strategy));
    }

    /// <summary>The reward that guides (ARGS, DARWIN) or ranks (Best-of-N) this call, instead of the client's.</summary>
    public static ChatOptions WithReward(this ChatOptions options, IRewardSource reward)
    {
        ArgumentNullException.ThrowIfNull(reward);
        return options.Set(options.GetAlignedDecoding() is { } current ? current with { Reward = reward } : new AlignedDecoding(Reward: reward));
    }

    /// <summary>The AlignedGen settings these options carry, or null.</summary>
    public static AlignedDecoding? GetAlignedDecoding(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(AlignedDecoding.Key, out var value) == true ? value as AlignedDecoding : null;

    private static ChatOptions Set(this ChatOptions options, AlignedDecoding decoding)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= new AdditionalPropertiesDictionary())[AlignedDecoding.Key] = decoding;
        return options;
    }
}
