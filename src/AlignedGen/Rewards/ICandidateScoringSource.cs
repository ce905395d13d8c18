using AlignedGen.Decoding;

namespace AlignedGen.Rewards;

/// <summary>
/// A reward source with a fast candidate-scoring path (a cached decoder reward model: prefill once, then score k
/// one-token extensions per row in one batched call). Sources without one are scored through
/// <see cref="RewardSourceCandidateScorer"/>, which rescoring every candidate in full.
/// </summary>
public interface ICandidateScoringSource : IRewardSource
{
    /// <summary>
    /// Creates a scorer for one batch, or returns null when this source cannot score the model's token ids directly
    /// (a different tokenizer): the caller then falls back to text scoring.
    /// </summary>
    ICandidateScorer? CreateCandidateScorer(DecodingContext context);
}
