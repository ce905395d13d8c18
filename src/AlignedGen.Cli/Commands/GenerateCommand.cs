using System.CommandLine;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;
using AlignedGen.Cli.Progress;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen generate`: any model folder, any strategy, prompts inline or from a rows file; one output row per prompt
/// (JSONL on stdout, or --output in any record format). Rows without a prompt are reported and skipped (exit 1);
/// Ctrl+C keeps the rows written and says how to resume.
/// </summary>
public static class GenerateCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var maxNewTokens = CliOptions.MaxNewTokens(AlignedGenDefaults.MaxNewTokens);
        var batchSize = CliOptions.DecodeBatchSize();
        var output = CliOptions.Output("Write the responses here (.jsonl, .csv, .tsv or .parquet) instead of JSONL on stdout.", required: false);
        var model = CliOptions.Model();
        var input = CliOptions.Input(required: false, "Prompts file");
        var failFast = new Option<bool>("--fail-fast") { Description = "Stop at the first prompt that cannot be generated (empty, longer than the context, a reward failure) instead of writing it as an error row and going on." };
        var stream = new Option<bool>("--stream")
        {
            Description = "Print each response's text on stdout as it is decoded (plain text, not JSONL; one prompt at a time, each response ending with a newline): token by token for greedy, sampling and ARGS, at once for strategies that decide at the end.",
        };
        var command = new Command("generate", "Generate a response per prompt with a decoding strategy (ARGS by default), guided by a reward where the strategy uses one.");
        foreach (var option in new Option[] { model, input, o.Prompt, o.Limit, o.IdColumn, o.PromptColumn, o.ReferenceColumn })
            command.Options.Add(option);
        c.Strategy.AddTo(command);
        c.Rewards.AddTo(command);
        foreach (var option in new Option[] { maxNewTokens, batchSize, o.Seed, o.Stop, o.ChatTemplate, o.Device, o.AllowCpuFallback, o.Threads, o.MemoryBudget, output, stream, o.Resume, o.Force, o.Shard, o.ShardBy, failFast })
            command.Options.Add(option);
        c.AddProgressOptions(command);
        c.SetAction(command, parse => Run(c, parse, model, input, maxNewTokens, batchSize, output, failFast, stream));
        return command;
    }

    private static int Run(CliContext c, ParseResult parse, Option<string> modelOption, Option<string> inputOption, Option<int> maxNewTokens, Option<int> batchSize,
        Option<string> outputOption, Option<bool> failFastOption, Option<bool> streamOption)
    {
        var o = c.Options;
        var (strategy, label) = c.Strategy.Create(parse);
        var inputPath = parse.GetValue(inputOption);
        var path = parse.GetValue(outputOption);
        bool resume = parse.GetValue(o.Resume), force = parse.GetValue(o.Force), failFast = parse.GetValue(failFastOption);
        var shard = o.ShardOf(parse);
        if (path is not null)
            AlignedGen.Data.OutputFile.Check(path, new[] { inputPath }); // a folder, or the prompts file by any path or link: refused before anything is read or written
        // A prompts file to a results file is a resumable, shardable job (seeded: --seed, else 0); inline prompts, --limit and stdout stream.
        var isJob = inputPath is not null && path is not null && parse.GetValue(o.Prompt) is not { Length: > 0 } && parse.GetValue(o.Limit) is null;
        var seed = parse.GetValue(o.Seed) ?? (isJob ? 0 : null);
        // Streamed text shows one response after another: one prompt per batch (results do not depend on batch size).
        bool streaming = parse.GetValue(streamOption);
        var options = new GenerationOptions(parse.GetValue(maxNewTokens), streaming ? 1 : parse.GetValue(batchSize), parse.GetValue(o.Stop),
            chatTemplate: o.ChatTemplateName(parse), seed: seed) { FailFast = failFast, MemoryBudgetBytes = o.MemoryBudgetOf(parse) };
        if (streaming && path is not null)
            throw new CliUsageException("--stream prints the responses' text on stdout as it is decoded; it cannot write --output. Fix: drop --output to watch the text, or drop --stream to write rows into the file.");
        if (!isJob && shard.Count > 1)
            throw new CliUsageException("--shard splits a prompts file into an output file: give --input and --output (no --prompt, no --limit).");
        GenerationJobOptions? jobOptions = null;
        if (isJob)
        {
            Inputs.OutputFile.CheckWritable(path!, resume, force);
            jobOptions = new GenerationJobOptions(inputPath!, path!, strategy)
            {
                Generation = options,
                Columns = GenerateJobRun.Columns(parse, o, inputPath!),
                Resume = !force,
                Shard = shard,
                ShardAssignment = parse.GetValue(o.ShardBy),
                SkipBadRecords = true,
                FailFast = failFast,
                Wording = CliFixes.Wording,
            };
        }
        var rows = isJob ? null : PromptRows.Read(parse.GetValue(o.Prompt) ?? Array.Empty<string>(), inputPath, o.Columns(parse), parse.GetValue(o.Limit));
        if (rows is not null)
            foreach (var problem in rows.Problems) c.Console.Error.WriteLine("warning: " + problem + " (skipped)");
        var requests = rows?.Requests ?? Array.Empty<GenerationRequest>();
        if (path is not null && !isJob)
        {
            Inputs.OutputFile.CheckWritable(path, resume, force, canResume: RecordFiles.FormatFromPath(path) == RecordFormat.Jsonl);
            if (resume && RecordFiles.FormatFromPath(path) != RecordFormat.Jsonl)
                throw new CliUsageException($"--resume continues .jsonl outputs only; {path} is {RecordFiles.FormatFromPath(path)}. Fix: write .jsonl, or pass --force to start over.");
            if (resume)
            {
                var done = JsonlResume.DoneIds(path);
                requests = requests.Where(r => !done.Contains(r.Id!)).ToArray();
                c.Note(parse, $"resuming {path}: {rows!.Requests.Count - requests.Count} of {rows.Requests.Count} prompts already done.");
            }
        }
        else if (path is null && (resume || force))
            throw new CliUsageException("--resume and --force apply to an --output file; without --output the responses go to stdout.");

        var execution = o.Execution(parse);
        using var opened = new OpenedSources();
        var reward = c.Rewards.OpenCombined(parse, execution, opened);
        if (reward is null && strategy.NeedsReward)
            throw new CliUsageException($"--strategy {label} is guided by a reward: pass --reward DIR (a reward-model folder) or --reward proxy.");
        var model = opened.Own(c.LoadModel(parse, parse.GetValue(modelOption)!, execution));
        c.Note(parse, $"{label} on {model.Name} ({model.ExecutionReport}){(reward is null ? "" : $", reward {reward.Name}")}: {(isJob ? "prompts of " + inputPath : requests.Count + " prompts")}.");
        if (jobOptions is not null)
            return GenerateJobRun.Run(c, parse, jobOptions, new TextGenerator(model, reward), label);

        using var sink = ResponseSink.Open(path, c.Console.Out, append: resume);
        long tokens = 0;
        var written = 0;
        var failed = new List<GenerationResult>();
        var display = c.CreateProgress(parse, "generate", "prompts");
        try
        {
            var progress = new SynchronousProgress<GenerationProgress>(p =>
                display.Report(new ProgressSnapshot(p.Completed, p.Total, p.Elapsed, $"{p.GeneratedTokens:N0} tokens")));
            if (streaming)
            {
                foreach (var result in StreamText(new TextGenerator(model, reward), requests, strategy, options, c.Console.Out, c.CancellationToken))
                {
                    if (result.FinishReason == FinishReason.Error) failed.Add(result);
                    written++;
                    tokens += result.TokenIds.Count;
                }
            }
            else foreach (var result in new TextGenerator(model, reward).GenerateStream(requests, strategy, options, progress, c.CancellationToken))
            {
                sink.Write(ResponseRows.From(result));
                if (result.FinishReason == FinishReason.Error) failed.Add(result);
                written++;
                tokens += result.TokenIds.Count;
                if (written % options.BatchSize == 0 || written == requests.Count) sink.Flush();
            }
        }
        catch (OperationCanceledException) when (c.CancellationToken.IsCancellationRequested)
        {
            sink.Flush();
            display.Dispose();
            c.Console.Error.WriteLine(path is null
                ? $"cancelled: {written} responses were written to stdout."
                : $"cancelled: {written} responses are in {path}. Run the same command with --resume to generate the rest.");
            return ExitCodes.Cancelled;
        }
        finally
        {
            display.Dispose();
        }
        c.Note(parse, $"generated {written} responses ({tokens:N0} tokens){(path is null ? "" : " into " + Path.GetFullPath(path))}.");
        var code = ExitCodes.Ok;
        if (failed.Count > 0)
        {
            var listed = FailedPrompts.Report(failed, path, c.Console.Error);
            c.Console.Error.WriteLine($"{failed.Count} prompt(s) could not be generated: they are in the output with finish_reason \"error\"{(listed is null ? " (see the warnings above)" : " and listed in " + listed)}.");
            code = ExitCodes.SomeRowsFailed;
        }
        if (rows!.Problems.Count > 0)
        {
            c.Console.Error.WriteLine($"{rows.Problems.Count} input row(s) had no usable prompt and were skipped (see the warnings above).");
            code = ExitCodes.SomeRowsFailed;
        }
        return code;
    }

    /// <summary>Writes each response's text to <paramref name="output"/> as it is decoded, a newline after each; yields the results.</summary>
    private static IEnumerable<GenerationResult> StreamText(TextGenerator generator, IReadOnlyList<GenerationRequest> requests, IDecodingStrategy strategy,
        GenerationOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var updates = generator.GenerateStreamingAsync(requests, strategy, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            // The command runs synchronously (no synchronization context): waiting on each update is safe here.
            while (updates.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                var update = updates.Current;
                if (update.Text.Length > 0)
                {
                    output.Write(update.Text);
                    output.Flush();
                }
                if (update.Result is not { } result) continue;
                output.WriteLine();
                output.Flush();
                yield return result;
            }
        }
        finally
        {
            updates.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
