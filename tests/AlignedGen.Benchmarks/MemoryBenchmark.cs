using System.Diagnostics;
using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Constant memory over long dataset jobs: a 200,000-row relabel (story-samples cycled, unique ids) with rm-wordpiece
/// to JSONL and with a free length reward to Parquet (the final conversion included), and a 20,000-prompt generation
/// job. Prints the resident set size (VmRSS) at every tenth of the run and the peak (VmHWM), with the load average.
/// </summary>
public static class MemoryBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        var rows = args.Quick ? 20_000 : 200_000;
        var work = Path.Combine(Path.GetTempPath(), "alignedgen-memory-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        Console.WriteLine($"memory: relabel {rows:N0} rows, RSS at each tenth of the run; {Environment.ProcessorCount} cores, load average {MachineProbe.LoadAverage()}");
        try
        {
            var input = WriteInput(args.Data("story-samples.jsonl"), Path.Combine(work, "rows.jsonl"), rows);
            var table = new ResultTable("job", "output", "rows done", "RSS MiB", "seconds");
            using (var rm = RewardModelLoader.FromFolder(args.Model("rm-wordpiece")))
                Relabel(table, "relabel rm-wordpiece", input, Path.Combine(work, "scored.jsonl"), rm, rows);
            Relabel(table, "relabel length", input, Path.Combine(work, "scored.parquet"), DelegateRewardSource.PerQuery("length", q => q.Response.Length), rows);
            Console.WriteLine(table);
            Console.WriteLine($"peak RSS of the process (VmHWM): {MachineProbe.PeakRssMiB():F0} MiB; load average at the end {MachineProbe.LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Relabel(ResultTable table, string name, string input, string output, IRewardSource reward, int rows)
    {
        var clock = Stopwatch.StartNew();
        var nextTenth = 1;
        table.Add(name, Path.GetFileName(output), 0, MachineProbe.RssMiB(), 0.0);
        var progress = new Reporter<RelabelProgress>(p =>
        {
            if (p.RowsDone < (long)rows * nextTenth / 10) return;
            nextTenth++;
            table.Add(name, Path.GetFileName(output), p.RowsDone, MachineProbe.RssMiB(), clock.Elapsed.TotalSeconds);
        });
        new RelabelJob(new RelabelOptions(input, output, RewardColumn.For(reward)) { Resume = false }).Run(progress);
        table.Add(name + " (done, output written)", Path.GetFileName(output), rows, MachineProbe.RssMiB(), clock.Elapsed.TotalSeconds);
    }

    private static string WriteInput(string samples, string path, int rows)
    {
        using var reader = RecordFiles.OpenReader(samples);
        var source = new List<DataRow>();
        for (var row = reader.Read(); row is not null; row = reader.Read()) source.Add(row);
        using var writer = RecordFiles.CreateWriter(path);
        var batch = new List<DataRow>(1000);
        for (var i = 0; i < rows; i++)
        {
            var row = source[i % source.Count].Clone();
            row["id"] = $"row-{i:D7}";
            batch.Add(row);
            if (batch.Count == 1000) { writer.Write(batch); batch.Clear(); }
        }
        writer.Write(batch);
        return path;
    }

    /// <summary>Reports on the job's thread (Progress&lt;T&gt; would post to the thread pool and sample late).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
