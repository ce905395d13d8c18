using System.Diagnostics;
using AlignedGen.Data;
using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>
/// Benchmark hook: relabels the same N rows with a reward source at several batch sizes (e.g. 1 vs 32) and reports rows/s
/// for each, through the real <see cref="RelabelJob"/> (JSONL in and out, fsync per batch unless turned off).
/// </summary>
internal static class RelabelThroughput
{
    /// <summary>
    /// Writes <paramref name="rows"/> rows (cycling through <paramref name="sample"/>) to a JSONL file in
    /// <paramref name="workDirectory"/>, scores one warm-up batch, then runs a fresh job per batch size and times it
    /// (<paramref name="syncToDisk"/>: fsync every batch, as <see cref="RelabelOptions.SyncToDisk"/>).
    /// </summary>
    public static IReadOnlyList<RelabelThroughputResult> Measure(IRewardSource source, IReadOnlyList<RewardQuery> sample, int rows,
        IReadOnlyList<int> batchSizes, string workDirectory, bool syncToDisk = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Measure(() => source, sample, rows, batchSizes, workDirectory, rounds: 1, syncToDisk, cancellationToken);
    }

    /// <summary>
    /// As the other overload, but each timed run gets a new source from <paramref name="createSource"/> (so caches inside
    /// a source, such as the proxy reward's anchor embeddings, start empty every run), and the batch sizes are run
    /// <paramref name="rounds"/> times in alternation, keeping each size's fastest run (a shared machine is noisy).
    /// The caller owns the sources (none is disposed here).
    /// </summary>
    public static IReadOnlyList<RelabelThroughputResult> Measure(Func<IRewardSource> createSource, IReadOnlyList<RewardQuery> sample, int rows,
        IReadOnlyList<int> batchSizes, string workDirectory, int rounds, bool syncToDisk = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createSource);
        if (sample is null || sample.Count == 0)
            throw new ArgumentException("sample is empty. Fix: pass at least one (prompt, response) query to cycle through.", nameof(sample));
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be at least 1. Fix: pass the number of rows to relabel.");
        if (batchSizes is null || batchSizes.Count == 0 || batchSizes.Any(b => b < 1))
            throw new ArgumentException("batchSizes must list one or more sizes ≥ 1. Fix: e.g. new[] { 1, 32 }.", nameof(batchSizes));
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "rounds must be at least 1. Fix: e.g. 3 to keep the best of three alternating runs.");
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        Directory.CreateDirectory(workDirectory);

        var hasReference = sample.Any(q => q.Reference is not null);
        var input = WriteInput(sample, rows, hasReference, workDirectory);
        Create(createSource).Score(sample.Take(Math.Min(sample.Count, batchSizes.Max())).ToArray(), cancellationToken);

        var best = new RelabelThroughputResult?[batchSizes.Count];
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < batchSizes.Count; i++)
            {
                var result = Run(Create(createSource), input, rows, batchSizes[i], hasReference, workDirectory, syncToDisk, cancellationToken);
                if (best[i] is null || result.Elapsed < best[i]!.Elapsed) best[i] = result;
            }
        }
        return best.Select(r => r!).ToArray();
    }

    private static RelabelThroughputResult Run(IRewardSource source, string input, int rows, int batchSize, bool hasReference,
        string workDirectory, bool syncToDisk, CancellationToken cancellationToken)
    {
        var counting = new CountingRewardSource(source);
        var output = Path.Combine(workDirectory, $"relabel-throughput-b{batchSize}.jsonl");
        var options = new RelabelOptions(input, output, new[] { new RewardColumn(counting, "reward") })
        {
            BatchSize = batchSize,
            Resume = false,
            CountTotalRows = false,
            SyncToDisk = syncToDisk,
            Columns = ColumnMap.Default with { Reference = hasReference ? "reference" : null },
        };
        var clock = Stopwatch.StartNew();
        new RelabelJob(options).Run(cancellationToken: cancellationToken);
        return new RelabelThroughputResult(batchSize, rows, counting.Calls, clock.Elapsed, counting.Time, output);
    }

    private static string WriteInput(IReadOnlyList<RewardQuery> sample, int rows, bool hasReference, string workDirectory)
    {
        var input = Path.Combine(workDirectory, "relabel-throughput-input.jsonl");
        using var writer = RecordFiles.CreateWriter(input);
        var batch = new List<DataRow>();
        for (var i = 0; i < rows; i++)
        {
            var q = sample[i % sample.Count];
            var row = new DataRow { ["id"] = i, ["prompt"] = q.Prompt, ["response"] = q.Response };
            if (hasReference) row["reference"] = q.Reference;
            batch.Add(row);
            if (batch.Count == 1000) { writer.Write(batch); batch.Clear(); }
        }
        writer.Write(batch);
        return input;
    }

    private static IRewardSource Create(Func<IRewardSource> createSource) =>
        createSource() ?? throw new InvalidOperationException("createSource returned null. Fix: return a reward source.");

    private sealed class CountingRewardSource(IRewardSource inner) : IRewardSource
    {
        private readonly Stopwatch _clock = new();

        public int Calls { get; private set; }

        public TimeSpan Time => _clock.Elapsed;

        public string Name => inner.Name;

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
        {
            Calls++;
            _clock.Start();
            try
            {
                return inner.Score(queries, cancellationToken);
            }
            finally
            {
                _clock.Stop();
            }
        }
    }
}
