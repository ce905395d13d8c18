using AlignedGen.Decoding;
using AlignedGen.Models;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// ARGS in the plainest way, as the exactness oracle: one prompt at a time, no cache reuse; every step the LM runs over
/// the whole sequence, and for each of the k candidates a reward function runs over the whole candidate sequence.
/// </summary>
public static class PlainArgsReference
{
    /// <param name="rewardOfSequence">reward of a full id sequence (prompt ids + response ids + candidate), recomputed from scratch.</param>
    public static List<int> Greedy(ICausalLanguageModel lm, IReadOnlyList<int> promptIds, Func<IReadOnlyList<int>, IReadOnlyList<int>, float> rewardOfSequence,
        int k, double w, int maxNewTokens, IReadOnlyCollection<int> eos)
        => Greedy(lm, promptIds, (p, rs) => rs.Select(r => rewardOfSequence(p, r)).ToArray(), k, w, maxNewTokens, eos);

    /// <param name="rewardsOfSequences">rewards of the k full candidate sequences of one step (prompt ids; each response ⊕ candidate), recomputed from scratch.</param>
    public static List<int> Greedy(ICausalLanguageModel lm, IReadOnlyList<int> promptIds, Func<IReadOnlyList<int>, IReadOnlyList<int[]>, float[]> rewardsOfSequences,
        int k, double w, int maxNewTokens, IReadOnlyCollection<int> eos)
    {
        var response = new List<int>();
        var candidates = new int[k];
        for (int step = 0; step < maxNewTokens; step++)
        {
            float[] logits;
            using (var state = lm.CreateState())
            {
                state.Extend(new[] { promptIds.Concat(response).ToArray() });
                logits = state.Output(0).ToArray();
            }
            TokenSampler.TopK(logits, candidates);
            var rewards = rewardsOfSequences(promptIds, candidates.Select(v => response.Append(v).ToArray()).ToArray());
            int best = -1;
            float bestScore = float.NegativeInfinity;
            for (int j = 0; j < k; j++)
            {
                float score = (float)(logits[candidates[j]] + w * rewards[j]);
                if (score > bestScore) { bestScore = score; best = candidates[j]; }
            }
            if (eos.Contains(best)) break;
            response.Add(best);
        }
        return response;
    }
}
