using System.CommandLine;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen merge`: joins the outputs of a sharded `relabel` back into the input's row order (the core's
/// <see cref="ShardMerger"/>), checking every row belongs where it lands, so the result equals one unsharded run.
/// </summary>
public static class MergeCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var input = CliOptions.Input(required: true, "The input every shard was relabeled from");
        var output = CliOptions.Output("The merged file (.jsonl, .csv, .tsv or .parquet).", required: true);
        var shards = new Argument<string[]>("SHARD")
        {
            Description = "The shard outputs in shard order: shard 0 of N first.",
            Arity = ArgumentArity.OneOrMore,
        };
        var shardBy = new Option<ShardAssignment>("--shard-by") { Description = "The --shard-by the shards were run with.", DefaultValueFactory = _ => ShardAssignment.RowIndex };
        var skipBad = new Option<bool>("--skip-bad-records") { Description = "The shards were run with --skip-bad-records." };
        var command = new Command("merge", "Merge the outputs of a sharded relabel (--shard i/n) into one file in the input's row order.");
        command.Arguments.Add(shards);
        foreach (var option in new Option[] { input, output, o.IdColumn, o.PromptColumn, o.ResponseColumn, o.ReferenceColumn, shardBy, skipBad, o.Force })
            command.Options.Add(option);
        c.SetAction(command, parse =>
        {
            var outputPath = parse.GetValue(output)!;
            OutputFile.CheckWritable(outputPath, resume: false, parse.GetValue(o.Force), canResume: false);
            // The merger reads the job's input, columns, shard assignment and skip mode; it never scores, so the
            // reward column is a placeholder that only satisfies the options' validation.
            var placeholder = DelegateRewardSource.PerQuery("merge", _ => throw new InvalidOperationException("merge does not score rows."));
            var job = new RelabelOptions(parse.GetValue(input)!, outputPath, RewardColumn.For(placeholder))
            {
                Columns = o.Columns(parse),
                ShardAssignment = parse.GetValue(shardBy),
                SkipBadRecords = parse.GetValue(skipBad),
            };
            var paths = parse.GetValue(shards)!;
            var rows = ShardMerger.Merge(job, paths, outputPath, cancellationToken: c.CancellationToken);
            c.Console.Out.WriteLine($"merged {paths.Length} shards ({rows:N0} rows) into {Path.GetFullPath(outputPath)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
