using System.Diagnostics;
using AlignedGen.Data;
using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>
/// Benchmark hook: relabels the same N rows with a reward source at several batch sizes (e.g. 1 vs 32) and reports rows/s
/// for each, through the real <see cref="RelabelJob"/> (JSONL in and out, fsync per batch).
/// </summary>
public static class RelabelThroughput
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
        if (sample is null || sample.Count == 0)
            throw new ArgumentException("sample is empty. Fix: pass at least one (prompt, response) query to cycle through.", nameof(sample));
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be at least 1. Fix: pass the number of rows to relabel.");
        if (batchSizes is null || batchSizes.Count == 0 || batchSizes.Any(b => b < 1))
            throw new ArgumentException("batchSizes must list one or more sizes ≥ 1. Fix: e.g. new[] { 1, 32 }.", nameof(batchSizes));
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        Directory.CreateDirectory(workDirectory);

        var input = Path.Combine(workDirectory, "relabel-throughput-input.jsonl");
        var hasReference = sample.Any(q => q.Reference is not null);
        using (var writer = RecordFiles.CreateWriter(input))
        {
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
        }

        var counting = new CountingRewardSource(source);
        counting.Score(sample.Take(Math.Min(sample.Count, batchSizes.Max())).ToArray(), cancellationToken);
        var results = new List<RelabelThroughputResult>();
        foreach (var batchSize in batchSizes)
        {
            counting.Calls = 0;
            var options = new RelabelOptions(input, Path.Combine(workDirectory, $"relabel-throughput-b{batchSize}.jsonl"), new[] { new RewardColumn(counting, "reward") })
            {
                BatchSize = batchSize,
                Resume = false,
                CountTotalRows = false,
                SyncToDisk = syncToDisk,
                Columns = ColumnMap.Default with { Reference = hasReference ? "reference" : null },
            };
            var clock = Stopwatch.StartNew();
            new RelabelJob(options).Run(cancellationToken: cancellationToken);
            results.Add(new RelabelThroughputResult(batchSize, rows, counting.Calls, clock.Elapsed));
        }
        return results;
    }

    private sealed class CountingRewardSource(IRewardSource inner) : IRewardSource
    {
        public int Calls { get; set; }

        public string Name => inner.Name;

        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
        {
            Calls++;
            return inner.Score(queries, cancellationToken);
        }
    }
}
