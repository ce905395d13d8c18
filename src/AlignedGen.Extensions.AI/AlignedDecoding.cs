using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.Extensions.AI;

/// <summary>
/// AlignedGen's settings for one chat call, carried in <c>ChatOptions.AdditionalProperties["alignedgen.decoding"]</c>
/// (set them with <see cref="ChatOptionsExtensions"/>: <c>options.WithArgs(weight: 1.5, topK: 10)</c>): the decoding
/// strategy, with its own parameters, and the reward that guides it. Unset values fall back to the client's.
/// </summary>
/// <param name="Strategy">The strategy for this call; null: sampling from ChatOptions' Temperature / TopP / TopK.</param>
/// <param name="Reward">The reward for this call; null: the client's.</param>
public sealed record AlignedDecoding(IDecodingStrategy? Strategy = null, IRewardSource? Reward = null)
{
    /// <summary>The AdditionalProperties key.</summary>
    public const string Key = "alignedgen.decoding";
}
