using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Tests.RelabelChild;

/// <summary>
/// Runs a dataset job slowly so a test can kill it mid-run. Relabeling (the default): input, output, batch size,
/// milliseconds of sleep per reward call, and optionally a call number at which the reward source blocks forever after
/// creating "&lt;output&gt;.blocked" (so the test knows a batch is in flight and kills it there); the reward is the
/// response length. Generation: "generate" then its arguments (<see cref="GenerateChild"/>). On completion it prints
/// "done already=N scored=M torn=T".
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "generate") return GenerateChild.Run(args[1..]);
        if (args.Length is not (4 or 5))
        {
            Console.Error.WriteLine("usage: AlignedGen.Tests.RelabelChild <input> <output> <batchSize> <sleepMsPerCall> [blockAtCall]");
            return 2;
        }
        var blockAt = args.Length == 5 ? int.Parse(args[4]) : -1;
        var reward = new SlowLengthReward(int.Parse(args[3]), blockAt, args[1] + ".blocked");
        var options = new RelabelOptions(args[0], args[1], RewardColumn.For(reward)) { BatchSize = int.Parse(args[2]) };
        var summary = new RelabelJob(options).Run(new ConsoleProgress());
        Console.WriteLine($"done already={summary.RowsAlreadyDone} scored={summary.RowsScored} torn={summary.TornBytesRemoved}");
        return 0;
    }

    private sealed class ConsoleProgress : IProgress<RelabelProgress>
    {
        public void Report(RelabelProgress value) => Console.WriteLine($"rows {value.RowsDone}");
    }

    private sealed class SlowLengthReward(int sleepMs, int blockAtCall, string markerPath) : IRewardSource
    {
        private int _calls;

        public string Name => "slow-length";

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
        {
            if (_calls++ == blockAtCall)
            {
                File.WriteAllText(markerPath, "blocked");
                Thread.Sleep(Timeout.Infinite);
            }
            Thread.Sleep(sleepMs);
            return queries.Select(q => (float)q.Response.Length).ToArray();
        }
    }
}
