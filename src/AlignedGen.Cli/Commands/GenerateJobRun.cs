using System.CommandLine;
using AlignedGen.Cli.Options;
using AlignedGen.Cli.Progress;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.Jobs;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen generate --input FILE --output FILE`: a prompts file to a results file is the core's resumable, shardable
/// <see cref="GenerationJob"/> — each input row with the result columns (docs/data-schema.md), durable batch by batch,
/// resumed with --resume (every prompt exactly once, the same bytes as an uninterrupted run: each row is seeded from
/// its id), split with --shard i/n and joined with `aligngen merge`. A row that cannot be generated is written with
/// finish_reason "error" and listed in OUTPUT.errors.jsonl (exit code 1) unless --fail-fast.
/// </summary>
internal static class GenerateJobRun
{
    public static int Run(CliContext c, ParseResult parse, GenerationJobOptions options, TextGenerator generator, string label)
    {
        var job = new GenerationJob(generator, options);
        var summary = DatasetJobRun.Run(c, parse, "generate", options.Shard, "prompts",
            (report, token) => job.Run(new SynchronousProgress<GenerationJobProgress>(p => report(new ProgressSnapshot(p.RowsDone, p.TotalRows, p.Elapsed,
                p.RowsFailed > 0 ? $"{p.RowsFailed} failed" : null))), token),
            $"cancelled: the responses generated so far are kept beside {options.OutputPath}. Run the same command with --resume to generate the rest.");
        if (summary is null) return ExitCodes.Cancelled;
        c.Note(parse, $"generated {summary.RowsGenerated:N0} responses ({summary.RowsAlreadyDone:N0} already done) with {label} into {summary.OutputPath}.");
        var code = ExitCodes.Ok;
        if (summary.RowsFailed > 0)
        {
            c.Console.Error.WriteLine($"{summary.RowsFailed} prompt(s) could not be generated: they are in the output with finish_reason \"error\" and listed in {summary.FailedRowsPath}.");
            code = ExitCodes.SomeRowsFailed;
        }
        if (summary.SkippedCount > 0)
        {
            c.Console.Error.WriteLine($"{summary.SkippedCount} corrupt input row(s) were skipped; they are listed in {summary.SkippedRecordsPath}.");
            code = ExitCodes.SomeRowsFailed;
        }
        return code;
    }

    /// <summary>
    /// The prompt columns: those named by --id-column / --prompt-column / --reference-column; unnamed, "id" when the
    /// file's first row has one (else rows are identified by content) and "instruction" when it has no "prompt".
    /// </summary>
    public static PromptColumns Columns(ParseResult parse, CliOptions o, string input)
    {
        var map = o.Columns(parse);
        var first = FirstRow(input);
        bool Named(Option option) => parse.GetResult(option) is { Implicit: false };
        var id = Named(o.IdColumn) || first is null || first.TryGetValue(map.Id ?? "", out _) ? map.Id : null;
        var prompt = !Named(o.PromptColumn) && first is not null && !first.TryGetValue(map.Prompt, out _) && first.TryGetValue("instruction", out _) ? "instruction" : map.Prompt;
        return new PromptColumns { Id = id, Prompt = prompt, Reference = map.Reference };
    }

    private static DataRow? FirstRow(string input)
    {
        using var reader = RecordFiles.OpenReader(input);
        for (var corrupt = 0; corrupt < 1000; corrupt++)
        {
            try
            {
                return reader.Read();
            }
            catch (CorruptRecordException e) when (e.CanContinue)
            {
                // The job skips (and lists) corrupt rows; the columns come from the first good one.
            }
        }
        return null;
    }
}
