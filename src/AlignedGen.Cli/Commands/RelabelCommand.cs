using System.CommandLine;
using AlignedGen.Jobs;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;
using AlignedGen.Cli.Progress;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen relabel`: scores every (prompt, response) row of a dataset with one or more rewards and writes the rows
/// back with reward columns (the core's durable, resumable, shardable <see cref="RelabelJob"/>). Corrupt rows skipped
/// with --skip-bad-records make exit code 1; Ctrl+C stops after the batch in flight and --resume continues.
/// </summary>
public static class RelabelCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var input = CliOptions.Input(required: true, "The dataset to relabel (rows with a prompt and a response)");
        var output = CliOptions.Output("The relabeled file (.jsonl, .csv, .tsv or .parquet; may differ from the input's format).", required: true);
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Rows per reward call and per durable write.",
            DefaultValueFactory = _ => 32,
            HelpName = "N",
        }.CheckedBy(v => _ = Probe() with { BatchSize = v });
        var skipBad = new Option<bool>("--skip-bad-records") { Description = "Skip corrupt input rows (listed in OUTPUT.skipped.jsonl) instead of stopping; the exit code is then 1." };
        var lenient = new Option<bool>("--lenient") { Description = "Score null or missing prompt/response values as empty text and numbers as their text; rows without an id are identified by content." };
        var noSync = new Option<bool>("--no-sync") { Description = "Flush each batch to the operating system without fsync: survives a killed process, not a power cut; faster on slow disks." };

        var command = new Command("relabel", "Score every (prompt, response) row of a dataset with one or more rewards and write the rows back with reward columns.");
        command.Options.Add(input);
        command.Options.Add(output);
        c.Rewards.AddTo(command);
        foreach (var option in new Option[] { o.IdColumn, o.PromptColumn, o.ResponseColumn, o.ReferenceColumn, batchSize, o.Shard, o.ShardBy, o.Resume, o.Force, skipBad, lenient, noSync, o.Device, o.AllowCpuFallback, o.Threads })
            command.Options.Add(option);
        c.AddProgressOptions(command);
        c.SetAction(command, parse =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            bool resume = parse.GetValue(o.Resume), force = parse.GetValue(o.Force);
            OutputFile.CheckWritable(outputPath, resume, force);
            if (parse.GetValue(c.Rewards.Reward) is not { Length: > 0 })
                throw new CliUsageException("relabel needs at least one --reward DIR (a reward-model folder) or --reward proxy.");
            using var opened = new OpenedSources();
            var execution = o.Execution(parse);
            var rewards = c.Rewards.HasWeights(parse)
                ? RewardColumn.For(c.Rewards.OpenCombined(parse, execution, opened)!)
                : RewardColumn.For(c.Rewards.OpenEach(parse, execution, opened).ToArray());
            var options = new RelabelOptions(inputPath, outputPath, rewards)
            {
                Columns = o.Columns(parse),
                BatchSize = parse.GetValue(batchSize),
                Resume = !force,
                Shard = o.ShardOf(parse),
                ShardAssignment = parse.GetValue(o.ShardBy),
                SkipBadRecords = parse.GetValue(skipBad),
                Strict = !parse.GetValue(lenient),
                SyncToDisk = !parse.GetValue(noSync),
            };
            var job = new RelabelJob(options);
            var summary = DatasetJobRun.Run(c, parse, "relabel", options.Shard, "rows",
                (report, token) => job.Run(new SynchronousProgress<RelabelProgress>(p => report(new ProgressSnapshot(p.RowsDone, p.TotalRows, p.Elapsed,
                    p.RowsSkipped > 0 ? $"{p.RowsSkipped} skipped" : null))), token),
                $"cancelled: the rows scored so far are in {outputPath}. Run the same command with --resume to continue.");
            if (summary is null) return ExitCodes.Cancelled;
            c.Console.Out.WriteLine($"relabeled {summary.RowsScored:N0} rows ({summary.RowsAlreadyDone:N0} already done, {summary.SkippedCount:N0} skipped) with {string.Join(", ", rewards.Select(r => $"{r.ColumnName} = {r.Source.Name}"))} into {summary.OutputPath}");
            if (summary.SkippedCount == 0) return ExitCodes.Ok;
            c.Console.Error.WriteLine($"{summary.SkippedCount} corrupt input row(s) were skipped; they are listed in {summary.SkippedRecordsPath}.");
            return ExitCodes.SomeRowsFailed;
        });
        return command;
    }

    private static RelabelOptions Probe() => new("probe.jsonl", "probe-out.jsonl", RewardColumn.For(Rewards.DelegateRewardSource.PerQuery("probe", _ => 0)));
}
