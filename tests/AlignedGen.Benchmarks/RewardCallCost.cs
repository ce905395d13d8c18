using System.Diagnostics;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// What batching can save, measured on each reward source outside the job: the cost of the shortest possible call
/// (per-call overhead: ONNX Runtime's walk over the graph's nodes, input creation, and for MiniLM streaming its 90 MB of
/// weights once), each of 32 story rows scored alone, and their share of one call of all 32. The ratio alone / in-32 is the
/// most batch 32 can gain over batch 1 for the model part of a relabel job. Each figure is the fastest of several
/// alternating rounds (the machine is shared).
/// </summary>
internal static class RewardCallCost
{
    private const int CallRows = 32;

    /// <summary>One source under test: how to score a list of (prompt, response) queries, and the tokens each row feeds the model.</summary>
    public sealed record Subject(string Name, string Setting, Action<IReadOnlyList<RewardQuery>> Score, Func<RewardQuery, int> Tokens,
        RewardQuery Shortest, Func<IReadOnlyList<RewardQuery>, LengthBatchPlan> Plan, int Rounds);

    /// <summary>A subject for an ONNX reward model (tokens and batches as the model plans a call).</summary>
    public static Subject ForRewardModel(OnnxRewardModel rm, string setting, int rounds) =>
        new(rm.Name, setting, q => rm.Score(q), q => rm.Encoder.Encode(q, 0).Length, new RewardQuery("", "a"),
            q => LengthBatchPlan.Create(q.Select(x => rm.Encoder.Encode(x, 0).Length).ToArray(), rm.Options.BatchSize, rm.Options.SortByLength, rm.Options.CallOverheadTokens),
            rounds);

    /// <summary>A subject for a sentence embedder: each query's response is embedded (the proxy reward's per-row work; prompts are cached).</summary>
    public static Subject ForEmbedder(OnnxSentenceEmbedder embedder, string setting, int rounds) =>
        new($"{embedder.Name} (proxy)", setting, q => embedder.Embed(q.Select(x => x.Response).ToArray()), q => embedder.Tokenize(q.Response).Length,
            new RewardQuery("", "a"),
            q => LengthBatchPlan.Create(q.Select(x => embedder.Tokenize(x.Response).Length).ToArray(), embedder.Options.BatchSize, true, embedder.Options.CallOverheadTokens),
            rounds);

    /// <summary>Measures every subject on <paramref name="sample"/> (rounds alternate between subjects) and returns the table.</summary>
    public static ResultTable Measure(IReadOnlyList<Subject> subjects, IReadOnlyList<RewardQuery> sample)
    {
        var call = sample.Take(CallRows).ToArray();
        var best = subjects.Select(_ => (Shortest: double.MaxValue, Alone: double.MaxValue, InCall: double.MaxValue)).ToArray();
        foreach (var s in subjects)
        {
            s.Score(new[] { s.Shortest });
            s.Score(call);
        }
        var rounds = subjects.Max(s => s.Rounds);
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < subjects.Count; k++)
            {
                var s = subjects[k];
                if (round >= s.Rounds) continue;
                var shortest = Time(() => s.Score(new[] { s.Shortest }));
                var alone = call.Average(q => Time(() => s.Score(new[] { q })));
                var inCall = Time(() => s.Score(call)) / call.Length;
                best[k] = (Math.Min(best[k].Shortest, shortest), Math.Min(best[k].Alone, alone), Math.Min(best[k].InCall, inCall));
            }
        }

        var table = new ResultTable("source", "setting", "tokens/row", "shortest call: tokens", "shortest call ms", "row alone ms",
            "row in a call of 32 ms", "model runs, padded/real in 32", "µs/token alone (marginal)", "µs/token in 32", "overhead share alone", "ceiling alone / in 32");
        for (var k = 0; k < subjects.Count; k++)
        {
            var s = subjects[k];
            var (shortest, alone, inCall) = best[k];
            var tokens = call.Average(q => (double)s.Tokens(q));
            var shortestTokens = s.Tokens(s.Shortest);
            var plan = s.Plan(call);
            table.Add(s.Name, s.Setting, tokens, shortestTokens, shortest, alone, inCall, $"{plan.Batches.Count}, {plan.PaddedTokens / (double)plan.RealTokens:F3}",
                1000 * (alone - shortest) / (tokens - shortestTokens), 1000 * inCall / tokens, $"{100 * shortest / alone:F0}%", $"{alone / inCall:F2}x");
        }
        return table;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
