using System.CommandLine;
using AlignedGen.Jobs;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen merge`: joins the outputs of a sharded `relabel` or `generate` back into the input's row order (the core's
/// <see cref="DatasetShards"/>, from the shards' manifests): every shard present, finished and of the same job, every
/// row where it belongs, so the result equals one unsharded run.
/// </summary>
public static class MergeCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var input = CliOptions.Input(required: false, "The input every shard was run over (default: the one the shards' manifests record)");
        var output = CliOptions.Output("The merged file (.jsonl, .csv, .tsv or .parquet).", required: true);
        var shards = new Argument<string[]>("SHARD")
        {
            Description = "The shard outputs in shard order: shard 0 of N first.",
            Arity = ArgumentArity.OneOrMore,
        };
        var shardBy = new Option<ShardAssignment>("--shard-by") { Description = "Accepted for older scripts: each shard's manifest records how rows were assigned.", Hidden = true };
        var skipBad = new Option<bool>("--skip-bad-records") { Description = "Accepted for older scripts: each shard's manifest records its skip mode.", Hidden = true };
        var command = new Command("merge", "Merge the outputs of a sharded relabel or generate (--shard i/n) into one file in the input's row order.");
        command.Arguments.Add(shards);
        foreach (var option in new Option[] { input, output, o.IdColumn, o.PromptColumn, o.ResponseColumn, o.ReferenceColumn, shardBy, skipBad, o.Force })
            command.Options.Add(option);
        c.SetAction(command, parse =>
        {
            var outputPath = parse.GetValue(output)!;
            OutputFile.CheckWritable(outputPath, resume: false, parse.GetValue(o.Force), canResume: false);
            var paths = parse.GetValue(shards)!;
            // The shards' manifests hold the job (columns, shard assignment, skip mode, rewards or generator): the merge checks them against each other.
            var rows = DatasetShards.Merge(paths, outputPath, parse.GetValue(input), cancellationToken: c.CancellationToken);
            c.Console.Out.WriteLine($"merged {paths.Length} shards ({rows:N0} rows) into {Path.GetFullPath(outputPath)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
