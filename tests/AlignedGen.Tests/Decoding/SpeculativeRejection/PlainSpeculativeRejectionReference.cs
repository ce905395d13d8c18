using AlignedGen.Decoding;
using AlignedGen.Models;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// Speculative Rejection in the plainest way, shaped like the authors' loop: one prompt at a time; each round every
/// running sample is generated up to the next decision point with the LM run over its whole sequence for every token
/// (no cache), every sample that ran is scored from scratch, and the pool is cut. It follows the library's documented
/// contract (sample j draws from Best-of-N's stream for sample j; decision points d₁, ⌈dₖ / (1 − α)⌉; keep
/// max(1, round-half-even((1 − α)·pool)); ties to the lower sample; the answer is the best completed response), so with the
/// same seed it must return the same tokens as SpeculativeRejectionStrategy.
/// </summary>
public static class PlainSpeculativeRejectionReference
{
    public sealed record Result(IReadOnlyList<int> Tokens, float Reward, int Sample, int StoppedEarly, long SampledTokens, IReadOnlyList<int> Lengths);

    private sealed class Sample
    {
        public List<int> Tokens { get; } = new();
        public bool Finished { get; set; }
        public bool Stopped { get; set; }
        public bool InPool { get; set; } = true;
        public float Score { get; set; }
        public required Random Random { get; init; }
    }

    /// <param name="reward">reward of (prompt ids, response ids), recomputed from scratch.</param>
    public static Result Run(ICausalLanguageModel lm, IReadOnlyList<int> promptIds, Func<IReadOnlyList<int>, IReadOnlyList<int>, float> reward,
        SpeculativeRejectionOptions o, int maxNewTokens, IReadOnlyCollection<int> eos, int requestSeed)
    {
        var samples = Enumerable.Range(0, o.Samples).Select(j => new Sample { Random = new Random(SeedMixer.Mix(requestSeed, j, 0)) }).ToArray();
        var points = new List<int>();
        if (o.DecisionPoints is not null) points.AddRange(o.DecisionPoints);
        else
            for (int d = o.FirstDecision; d < maxNewTokens; d = Math.Max((int)Math.Ceiling(d / (1 - o.Alpha)), d + 1)) points.Add(d);
        var lengths = new List<int>();
        foreach (int point in points.Append(int.MaxValue))
        {
            var ran = samples.Where(s => !s.Finished && !s.Stopped).ToList();
            if (ran.Count == 0) break;
            foreach (var s in ran)
            {
                while (!s.Finished && s.Tokens.Count < point)
                {
                    int token = TokenSampler.Sample(Logits(lm, promptIds.Concat(s.Tokens).ToArray()), o.Sampling, s.Random);
                    if (eos.Contains(token)) { s.Finished = true; break; }
                    s.Tokens.Add(token);
                    if (s.Tokens.Count >= maxNewTokens) s.Finished = true;
                }
                s.Score = reward(promptIds, s.Tokens);
            }
            if (point == int.MaxValue || samples.All(s => s.Finished || s.Stopped)) break;
            lengths.Add(point);
            var pool = samples.Select((s, j) => (s, j)).Where(x => !x.s.Stopped && (!x.s.Finished || x.s.InPool))
                .OrderByDescending(x => x.s.Score).ThenBy(x => x.j).ToList();
            int keep = Math.Max(1, (int)Math.Round((1 - o.Alpha) * pool.Count, MidpointRounding.ToEven));
            foreach (var (s, _) in pool.Skip(keep))
            {
                if (s.Finished) s.InPool = false;
                else s.Stopped = true;
            }
        }
        var best = samples.Select((s, j) => (s, j)).Where(x => x.s.Finished).OrderByDescending(x => x.s.Score).ThenBy(x => x.j).First();
        return new Result(best.s.Tokens, best.s.Score, best.j, samples.Count(s => s.Stopped), samples.Sum(s => (long)s.Tokens.Count), lengths);
    }

    private static float[] Logits(ICausalLanguageModel lm, IReadOnlyList<int> ids)
    {
        using var state = lm.CreateState();
        state.Extend(new[] { ids });
        return state.Output(0).ToArray();
    }
}
