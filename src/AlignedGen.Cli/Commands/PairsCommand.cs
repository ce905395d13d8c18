using System.CommandLine;
using AlignedGen.Cli.Inputs;
using AlignedGen.Cli.Options;
using AlignedGen.Relabeling;

namespace AlignedGen.Cli.Commands;

/// <summary>`aligngen pairs`: DPO-style preference pairs (prompt, chosen, rejected, scores) from a scored dataset (the core's <see cref="PreferencePairs"/>).</summary>
public static class PairsCommand
{
    public static Command Create(CliContext c)
    {
        var o = c.Options;
        var input = CliOptions.Input(required: true, "A scored dataset (e.g. written by 'aligngen relabel')");
        var output = CliOptions.Output("The pairs file (.jsonl, .csv, .tsv or .parquet): [prompt_id,] prompt, chosen, rejected, score_chosen, score_rejected[, chosen_id, rejected_id].", required: true);
        var score = new Option<string>("--score-column")
        {
            Description = "Column holding the scores (a number, or a list matching a list of responses).",
            DefaultValueFactory = _ => "reward",
            HelpName = "NAME",
        }.CheckedBy(v => _ = new PreferencePairOptions { ScoreColumn = v });
        var mode = new Option<PreferencePairMode>("--mode")
        {
            Description = "BestVsWorst: one pair per prompt; AllPairsAboveMargin: every pair whose score gap exceeds the margin.",
            DefaultValueFactory = _ => PreferencePairMode.BestVsWorst,
        };
        var margin = new Option<double>("--margin")
        {
            Description = "Pair only when score_chosen - score_rejected is greater than this.",
            DefaultValueFactory = _ => 0,
            HelpName = "GAP",
        }.CheckedBy(v => _ = new PreferencePairOptions { Margin = v });
        var command = new Command("pairs", "Build preference pairs (chosen, rejected) from a scored dataset, grouping rows by prompt.");
        foreach (var option in new Option[] { input, output, score, mode, margin, o.IdColumn, o.PromptColumn, o.ResponseColumn, o.PromptIdColumn, o.Force })
            command.Options.Add(option);
        c.SetAction(command, parse =>
        {
            var outputPath = parse.GetValue(output)!;
            OutputFile.CheckWritable(outputPath, resume: false, parse.GetValue(o.Force), canResume: false);
            var options = new PreferencePairOptions
            {
                Columns = o.Columns(parse),
                ScoreColumn = parse.GetValue(score)!,
                Mode = parse.GetValue(mode),
                Margin = parse.GetValue(margin),
            };
            var s = PreferencePairs.Build(parse.GetValue(input)!, outputPath, options, c.CancellationToken);
            c.Console.Out.WriteLine($"wrote {s.PairsWritten:N0} pairs from {s.Prompts:N0} prompts ({s.Responses:N0} responses in {s.RowsRead:N0} rows) into {Path.GetFullPath(outputPath)}");
            if (s.PromptsSkippedSingleResponse + s.PromptsSkippedNoScoreGap + s.PairsSkippedIdenticalText > 0)
                c.Console.Out.WriteLine($"not paired: {s.PromptsSkippedSingleResponse:N0} prompts with one response, {s.PromptsSkippedNoScoreGap:N0} without a score gap above {options.Margin}, {s.PairsSkippedIdenticalText:N0} pairs of identical texts");
            return ExitCodes.Ok;
        });
        return command;
    }
}
