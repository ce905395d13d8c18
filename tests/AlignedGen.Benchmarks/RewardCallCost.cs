using System.Diagnostics;
using System.Runtime.InteropServices;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// What batching can save, measured on each reward source outside the job: the cost of the shortest possible call
/// (per-call overhead: ONNX Runtime's walk over the graph's nodes, input creation, and for MiniLM reading its weights
/// once), each of 32 story rows scored alone, and their share of one call of all 32. The ratio alone / in-32 is the
/// most batch 32 can gain over batch 1 for the model part of a relabel job. Single-threaded subjects are timed in CPU
/// time of the calling thread (ONNX Runtime runs the graph on it), which other processes on a shared machine barely
/// disturb; multi-threaded ones in wall time. Each figure is the best of several alternating rounds.
/// </summary>
internal static class RewardCallCost
{
    private const int CallRows = 32;
    private const int ShortestRepeats = 5;

    /// <summary>One source under test: how to score queries, the tokens each row feeds the model, and how a call is batched.</summary>
    public sealed record Subject(string Name, string Setting, bool SingleThreaded, Action<IReadOnlyList<RewardQuery>> Score, Func<RewardQuery, int> Tokens,
        RewardQuery Shortest, Func<IReadOnlyList<RewardQuery>, LengthBatchPlan> Plan, int Rounds);

    /// <summary>A subject for an ONNX reward model (tokens and batches as the model plans a call).</summary>
    public static Subject ForRewardModel(OnnxRewardModel rm, string setting, int rounds) =>
        new(rm.Name, setting, rm.Options.Execution.IntraOpThreads == 1, q => rm.Score(q), q => rm.Encoder.Encode(q, 0).Length, new RewardQuery("", "a"),
            q => LengthBatchPlan.Create(q.Select(x => rm.Encoder.Encode(x, 0).Length).ToArray(), rm.Options.BatchSize, rm.Options.SortByLength, rm.Options.CallOverheadTokens),
            rounds);

    /// <summary>A subject for a sentence embedder: each query's response is embedded (the proxy reward's per-row work; prompts are cached).</summary>
    public static Subject ForEmbedder(OnnxSentenceEmbedder embedder, string setting, int rounds) =>
        new($"{embedder.Name} (proxy)", setting, embedder.Options.Execution.IntraOpThreads == 1, q => embedder.Embed(q.Select(x => x.Response).ToArray()),
            q => embedder.Tokenize(q.Response).Length, new RewardQuery("", "a"),
            q => LengthBatchPlan.Create(q.Select(x => embedder.Tokenize(x.Response).Length).ToArray(), embedder.Options.BatchSize, true, embedder.Options.CallOverheadTokens),
            rounds);

    /// <summary>Measures every subject on the first 32 rows of <paramref name="sample"/> (rounds alternate between subjects) and returns the table.</summary>
    public static ResultTable Measure(IReadOnlyList<Subject> subjects, IReadOnlyList<RewardQuery> sample)
    {
        var call = sample.Take(CallRows).ToArray();
        var best = subjects.Select(_ => (Shortest: double.MaxValue, Alone: double.MaxValue, InCall: double.MaxValue)).ToArray();
        foreach (var s in subjects)
        {
            s.Score(new[] { s.Shortest });
            s.Score(call);
        }
        for (var round = 0; round < subjects.Max(s => s.Rounds); round++)
        {
            for (var k = 0; k < subjects.Count; k++)
            {
                var s = subjects[k];
                if (round >= s.Rounds) continue;
                var shortest = Enumerable.Range(0, ShortestRepeats).Min(_ => Time(s, () => s.Score(new[] { s.Shortest })));
                var alone = call.Average(q => Time(s, () => s.Score(new[] { q })));
                var inCall = Time(s, () => s.Score(call)) / call.Length;
                best[k] = (Math.Min(best[k].Shortest, shortest), Math.Min(best[k].Alone, alone), Math.Min(best[k].InCall, inCall));
            }
        }

        var table = new ResultTable("source", "setting", "clock", "tokens/row", "shortest call: tokens", "shortest call ms", "row alone ms",
            "row in a call of 32 ms", "model runs, padded/real in 32", "µs/token alone (marginal)", "µs/token in 32", "overhead share alone", "ceiling alone / in 32");
        for (var k = 0; k < subjects.Count; k++)
        {
            var s = subjects[k];
            var (shortest, alone, inCall) = best[k];
            var tokens = call.Average(q => (double)s.Tokens(q));
            var shortestTokens = s.Tokens(s.Shortest);
            var plan = s.Plan(call);
            table.Add(s.Name, s.Setting, s.SingleThreaded && ThreadCpu.Available ? "thread CPU" : "wall", tokens, shortestTokens, shortest, alone, inCall,
                $"{plan.Batches.Count}, {plan.PaddedTokens / (double)plan.RealTokens:F3}",
                1000 * (alone - shortest) / (tokens - shortestTokens), 1000 * inCall / tokens, $"{100 * shortest / alone:F0}%", $"{alone / inCall:F2}x");
        }
        return table;
    }

    private static double Time(Subject s, Action action)
    {
        if (s.SingleThreaded && ThreadCpu.Available)
        {
            var start = ThreadCpu.Milliseconds();
            action();
            return ThreadCpu.Milliseconds() - start;
        }
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>CPU time of the calling thread (Linux clock_gettime CLOCK_THREAD_CPUTIME_ID, nanosecond resolution).</summary>
    private static class ThreadCpu
    {
        private const int ClockThreadCpuTime = 3;

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        public static readonly bool Available = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

        public static double Milliseconds()
        {
            ClockGetTime(ClockThreadCpuTime, out var t);
            return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
        }

        private static bool Probe()
        {
            try
            {
                return ClockGetTime(ClockThreadCpuTime, out _) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }
}
