using AlignedGen.Decoding;
using AlignedGen.Models;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// CARDS in the plainest way, shaped like the authors' seg_rs_generate: one prompt at a time, no cache; every token runs
/// the LM over the whole sequence (prompt + accepted + candidate) and every candidate is scored from scratch. It follows
/// the library's documented seeding contract (CardsSeeds: one token stream and one acceptance draw per segment and
/// attempt) and its documented differences from the reference (stop at EOS and the length limit), so with the same seed
/// it must return the same tokens as CardsStrategy. Raw prompts only, no stop strings.
/// </summary>
public static class PlainCardsReference
{
    public sealed record Result(IReadOnlyList<int> Tokens, float Reward, int Tried, int Accepted, int Forced);

    /// <param name="reward">reward of (prompt ids, response ids), recomputed from scratch.</param>
    /// <param name="maxNewTokens">the response's length limit (max new tokens, capped by the context window).</param>
    public static Result Run(ICausalLanguageModel lm, IReadOnlyList<int> promptIds, Func<IReadOnlyList<int>, IReadOnlyList<int>, float> reward,
        CardsOptions o, int maxNewTokens, IReadOnlyCollection<int> eos, int requestSeed)
    {
        var accepted = new List<int>();
        float promptReward = reward(promptIds, accepted);
        double rStar = o.RewardThreshold ?? promptReward + o.RewardGain;
        double r0 = (1 - o.Alpha) * promptReward + o.Alpha * rStar;
        float finalReward = promptReward;
        int tried = 0, segments = 0, forced = 0;
        var sampling = new SamplingOptions(o.Beta, o.TopK);
        for (int segment = 0; ; segment++)
        {
            (List<int> Tokens, bool Eos, float Reward)? best = null;
            (List<int> Tokens, bool Eos, float Reward) taken;
            for (int attempt = 0; ; attempt++)
            {
                var random = new Random(SeedMixer.Mix(requestSeed, 0x43524453, segment, attempt));
                var candidate = new List<int>();
                bool endsWithEos = false;
                while (true)
                {
                    var logits = Logits(lm, promptIds.Concat(accepted).Concat(candidate).ToArray());
                    if (candidate.Count >= o.MinSegmentLength && Entropy(logits) >= o.EntropyThreshold) break;
                    int token = TokenSampler.Sample(logits, sampling, random);
                    if (eos.Contains(token)) { endsWithEos = true; break; }
                    candidate.Add(token);
                    if (candidate.Count >= o.MaxSegmentLength || accepted.Count + candidate.Count >= maxNewTokens) break;
                }
                float r = reward(promptIds, accepted.Concat(candidate).ToArray());
                tried++;
                if (best is null || r > best.Value.Reward) best = (candidate, endsWithEos, r);
                if (attempt >= o.MaxRetries)
                {
                    forced++;
                    taken = best.Value;
                    break;
                }
                double threshold = Math.Min(rStar, r0 + (accepted.Count + candidate.Count) * (rStar - r0) / maxNewTokens);
                bool accept = o.Acceptance == CardsAcceptance.Hard
                    ? r >= threshold
                    : new Random(SeedMixer.Mix(requestSeed, 0x43524441, segment, attempt)).NextDouble() < Math.Min(1, Math.Exp((r - threshold) / o.Beta));
                if (accept)
                {
                    taken = (candidate, endsWithEos, r);
                    break;
                }
            }
            accepted.AddRange(taken.Tokens);
            finalReward = taken.Reward;
            segments++;
            if (taken.Eos || accepted.Count >= maxNewTokens) return new Result(accepted, finalReward, tried, segments, forced);
        }
    }

    private static float[] Logits(ICausalLanguageModel lm, IReadOnlyList<int> ids)
    {
        using var state = lm.CreateState();
        state.Extend(new[] { ids });
        return state.Output(0).ToArray();
    }

    /// <summary>−Σ p log p of softmax(logits), from the probabilities.</summary>
    private static double Entropy(float[] logits)
    {
        double max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        double z = weights.Sum();
        return -weights.Select(w => w / z).Where(p => p > 0).Sum(p => p * Math.Log(p));
    }
}
