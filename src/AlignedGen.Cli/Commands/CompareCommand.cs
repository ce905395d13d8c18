using System.CommandLine;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;
using AlignedGen.Cli.Progress;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Commands;

/// <summary>
/// `aligngen compare`: several strategies and settings over one prompt set with the models loaded once; every response
/// measured (guiding and held-out reward, diversity, coherence, fluency, length, cost); prints the Markdown summary and
/// writes the comparison folder (comparison.json, responses/*.jsonl, summary.md, summary.csv) and the HTML report.
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var model = CliOptions.Model();
        var input = CliOptions.Input(required: false, "Prompts file");
        var output = CliOptions.Output("Folder for comparison.json, responses/, summary.md, summary.csv and report.html.", required: true);
        var settings = new Option<string[]>("--setting")
        {
            Description = "A strategy setting to compare (repeat): a name and key=value pairs, e.g. \"args w=1.5\". Default: the sweep "
                + string.Join(", ", ComparisonSettingSpec.DefaultSweepSpecs) + ". Names and keys (defaults in brackets): "
                + StrategyOptions.Syntax.Replace(Environment.NewLine, "; "),
            HelpName = "SPEC",
        }.CheckedBy(v => ComparisonSettingSpec.ParseAll(v));
        var guide = new Option<string?>("--guide") { Description = "The guiding reward (ARGS, Best-of-N and DARWIN steer by it): " + RewardOptions.Syntax + ".", HelpName = "DIR|proxy" };
        var judge = new Option<string?>("--judge") { Description = "A held-out reward that judges every response (and win/tie/loss): " + RewardOptions.Syntax + ".", HelpName = "DIR|proxy" };
        var baseline = new Option<string?>("--baseline") { Description = "Label of the setting the others are compared with (default: the first).", HelpName = "LABEL" };
        var tieMargin = new Option<double>("--tie-margin") { Description = "Held-out reward differences up to this are ties.", DefaultValueFactory = _ => 0, HelpName = "X" };
        var noFluency = new Option<bool>("--no-fluency") { Description = "Skip the fluency metric (perplexity under the model)." };
        var noCoherence = new Option<bool>("--no-coherence") { Description = "Skip the coherence metric (needs the MiniLM embedder)." };
        var noReport = new Option<bool>("--no-report") { Description = "Do not draw the HTML report." };
        var maxNewTokens = CliOptions.MaxNewTokens(AlignedGenDefaults.ComparisonMaxNewTokens);
        var batchSize = CliOptions.DecodeBatchSize();
        var report = new ReportOptions();

        var command = new Command("compare", "Compare decoding strategies and settings on one prompt set: rewards, win/tie/loss, diversity, coherence, fluency, cost; writes a folder and an HTML report.");
        foreach (var option in new Option[] { model, input, o.Prompt, o.Limit, o.IdColumn, o.PromptColumn, o.ReferenceColumn, settings, guide, judge, baseline,
            maxNewTokens, batchSize, o.Seed, o.ChatTemplate, o.Device, o.AllowCpuFallback, o.Threads, o.MemoryBudget, tieMargin, noFluency, noCoherence, output, noReport })
            command.Options.Add(option);
        report.AddTo(command);
        c.AddProgressOptions(command);
        c.SetAction(command, parse =>
        {
            var specs = parse.GetValue(settings) ?? Array.Empty<string>();
            var chosen = specs.Length == 0 ? ComparisonSettingSpec.DefaultSweep() : ComparisonSettingSpec.ParseAll(specs);
            var rows = PromptRows.Read(parse.GetValue(o.Prompt) ?? Array.Empty<string>(), parse.GetValue(input), o.Columns(parse), parse.GetValue(o.Limit));
            foreach (var problem in rows.Problems) c.Console.Error.WriteLine("warning: " + problem + " (skipped)");
            var guideSpec = parse.GetValue(guide);
            var judgeSpec = parse.GetValue(judge);
            var guided = chosen.FirstOrDefault(s => s.NeedsReward);
            if (guided is not null && guideSpec is null)
                throw new CliUsageException($"--setting '{guided.Label}' is guided by a reward: pass --guide DIR (a reward-model folder) or --guide proxy.");
            var execution = o.Execution(parse);
            using var opened = new OpenedSources();
            var lm = opened.Own(c.LoadModel(parse, parse.GetValue(model)!, execution));
            // Equal references (the same folder as guide and judge) open once: the judge is then the guide.
            var guideSource = guideSpec is null ? null : opened.Open(RewardOptions.Reference(guideSpec, execution));
            var judgeSource = judgeSpec is null ? null : opened.Open(RewardOptions.Reference(judgeSpec, execution));
            if (judgeSource is not null && ReferenceEquals(judgeSource, guideSource))
                c.Note(parse, "warning: --judge is the guiding reward; judging with the reward a strategy optimised overstates its gains. Pass another reward model as --judge.");
            if (judgeSource is null) c.Note(parse, "note: no --judge given, so there is no held-out reward and no win/tie/loss.");
            ISentenceEmbedder? embedder = null;
            if (!parse.GetValue(noCoherence))
                embedder = opened.OpenDefaultEmbedder(new[] { guideSource, judgeSource });
            var outputFolder = parse.GetValue(output)!;
            var options = new ComparisonOptions(chosen)
            {
                Baseline = parse.GetValue(baseline) ?? chosen[0].Label,
                Generation = new GenerationOptions(parse.GetValue(maxNewTokens), parse.GetValue(batchSize), chatTemplate: o.ChatTemplateName(parse), seed: parse.GetValue(o.Seed))
                    { MemoryBudgetBytes = o.MemoryBudgetOf(parse) },
                GuidingReward = guideSource,
                HeldOutReward = judgeSource,
                Embedder = embedder,
                MeasureFluency = !parse.GetValue(noFluency),
                TieMargin = parse.GetValue(tieMargin),
                OutputFolder = outputFolder,
            };
            ComparisonResult result;
            var display = c.CreateProgress(parse, "compare", "steps");
            try
            {
                var total = (long)chosen.Count * rows.Requests.Count * 2; // each setting: generation then evaluation
                result = new StrategyComparison(lm, options).Run(rows.Requests, new SynchronousProgress<ComparisonProgress>(p =>
                    display.Report(new ProgressSnapshot((long)Math.Round(p.OverallFraction * total), total, p.Elapsed,
                        $"[{p.SettingNumber}/{p.SettingCount}] {p.Setting} {p.Stage.ToString().ToLowerInvariant()}"))), c.CancellationToken);
            }
            catch (OperationCanceledException) when (c.CancellationToken.IsCancellationRequested)
            {
                display.Dispose();
                c.Console.Error.WriteLine($"cancelled: the responses of the settings that finished are in {Path.Combine(outputFolder, "responses")}; the summary and report are written when a comparison completes. Re-run the command (fewer prompts with --limit, fewer --setting) to finish.");
                return ExitCodes.Cancelled;
            }
            finally
            {
                display.Dispose();
            }
            c.Console.Out.Write(ComparisonSummaryTable.ToMarkdown(result));
            c.Console.Out.WriteLine();
            c.Console.Out.WriteLine($"wrote {Path.GetFullPath(outputFolder)} (comparison.json, responses/, summary.md, summary.csv)");
            if (!parse.GetValue(noReport)) report.Write(parse, result, outputFolder, c.Console.Out);
            return rows.Problems.Count > 0 ? ExitCodes.SomeRowsFailed : ExitCodes.Ok;
        });
        return command;
    }
}
