using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Tests.RelabelChild;

/// <summary>
/// Runs a relabel job slowly so a test can kill it mid-run: args are input, output, batch size, milliseconds of sleep per
/// reward call. The reward is the response length. Prints "rows N" to stdout after every durable batch.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: AlignedGen.Tests.RelabelChild <input> <output> <batchSize> <sleepMsPerCall>");
            return 2;
        }
        var reward = new SlowLengthReward(int.Parse(args[3]));
        var options = new RelabelOptions(args[0], args[1], RewardColumn.For(reward)) { BatchSize = int.Parse(args[2]) };
        var progress = new ConsoleProgress();
        new RelabelJob(options).Run(progress);
        Console.WriteLine("done");
        return 0;
    }

    private sealed class ConsoleProgress : IProgress<RelabelProgress>
    {
        public void Report(RelabelProgress value)
        {
            Console.WriteLine($"rows {value.RowsDone}");
            Console.Out.Flush();
        }
    }

    private sealed class SlowLengthReward(int sleepMs) : IRewardSource
    {
        public string Name => "slow-length";

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
        {
            Thread.Sleep(sleepMs);
            return queries.Select(q => (float)q.Response.Length).ToArray();
        }
    }
}
