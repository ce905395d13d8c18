using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// A reward source with a fast candidate-scoring path (a cached decoder reward model: prefill once, then score k
/// one-token extensions per row in one batched call). Sources without one are scored through
/// <see cref="RewardSourceCandidateScorer"/>, which rescores every candidate in full.
/// </summary>
public interface ICandidateScoringSource : IRewardSource
{
    /// <summary>
    /// Creates a scorer for one batch of sequences whose ids come from <paramref name="lmTokenizer"/>, or returns null
    /// when this source cannot score those ids directly (a different vocabulary): the caller then falls back to text scoring.
    /// </summary>
    ICandidateScorer? CreateCandidateScorer(ITextTokenizer lmTokenizer);

    /// <summary>
    /// Peak bytes the scorer keeps for <paramref name="rows"/> rows × <paramref name="k"/> candidates of
    /// <paramref name="tokens"/> positions (a cached reward model's k-fold KV cache), or 0 when it keeps nothing that grows with them.
    /// </summary>
    long CandidateCacheBytes(int rows, int k, int tokens) => 0;
}
