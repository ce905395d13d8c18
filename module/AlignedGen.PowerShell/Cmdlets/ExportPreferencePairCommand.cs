using System.Management.Automation;
using AlignedGen.Data;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;
using AlignedGen.Relabeling;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Export-PreferencePair: writes preference pairs (prompt, chosen, rejected, score_chosen, score_rejected) to a file
/// (.jsonl, .csv, .tsv or .parquet by extension). From piped scored responses (as ConvertTo-PreferencePair pairs them;
/// -PassThru also writes the pair objects), or from a scored dataset file with -InputPath (the core's
/// <see cref="PreferencePairs"/>, as `aligngen pairs`: it writes the <see cref="PreferencePairSummary"/>).
/// Overwrites -Path unless -NoClobber; -WhatIf / -Confirm ask before writing.
/// </summary>
[Cmdlet(VerbsData.Export, "PreferencePair", SupportsShouldProcess = true, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(PreferencePair), ParameterSetName = new[] { InputObjectSet })]
[OutputType(typeof(PreferencePairSummary), ParameterSetName = new[] { InputPathSet })]
public sealed class ExportPreferencePairCommand : PreferencePairCmdlet
{
    private const string InputPathSet = "InputPath";

    /// <summary>The pairs file to write (.jsonl, .csv, .tsv or .parquet).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>A scored dataset (e.g. written by Invoke-RewardRelabel) to pair instead of piped responses.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string InputPath { get; set; } = string.Empty;

    /// <summary>With -InputPath: the column holding the scores (a number, or a list matching a list of responses).</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string ScoreColumn { get; set; } = "reward";

    /// <summary>With -InputPath: BestVsWorst (one pair per prompt) or AllPairsAboveMargin (every pair whose gap exceeds -Margin).</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    public PreferencePairMode Mode { get; set; } = PreferencePairMode.BestVsWorst;

    /// <summary>With -InputPath: the row id column ("none" for no ids).</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string IdColumn { get; set; } = "id";

    /// <summary>With -InputPath: the prompt column.</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string PromptColumn { get; set; } = "prompt";

    /// <summary>With -InputPath: the response column (text, or a list of texts).</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string ResponseColumn { get; set; } = "response";

    /// <summary>With -InputPath: a column grouping rows of one prompt (else rows are grouped by prompt text).</summary>
    [Parameter(ParameterSetName = InputPathSet)]
    [ValidateNotNullOrEmpty]
    public string? PromptIdColumn { get; set; }

    /// <summary>Do not overwrite an existing file (AlignedGen.OutputExists instead).</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>With piped responses: also write the PreferencePair objects.</summary>
    [Parameter(ParameterSetName = InputObjectSet)]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override bool PairsPipedResponses => ParameterSetName != InputPathSet;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (PairsPipedResponses)
        {
            base.EndProcessing();
            return;
        }
        var input = ResolveOutputPath(InputPath);
        var output = CheckedOutput();
        if (!ShouldProcess(output, $"Write the preference pairs of '{input}'")) return;
        try
        {
            var options = new PreferencePairOptions
            {
                Columns = DataColumns.Map(IdColumn, PromptColumn, ResponseColumn, promptId: PromptIdColumn),
                ScoreColumn = ScoreColumn,
                Mode = Mode,
                Margin = Margin,
            };
            WriteObject(RunInBackground(work => PreferencePairs.Build(input, output, options, work.CancellationToken)));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, ErrorRecordFactory.Unwrap(ex) is DataFileException ? null : input);
        }
    }

    /// <inheritdoc />
    protected override void EndOfPairs(IReadOnlyList<PreferencePair> pairs)
    {
        var output = CheckedOutput();
        if (!ShouldProcess(output, $"Write {pairs.Count} preference pair(s)")) return;
        var columns = GroupsByOtherProperty
            ? new[] { "prompt_id", "prompt", "chosen", "rejected", "score_chosen", "score_rejected" }
            : new[] { "prompt", "chosen", "rejected", "score_chosen", "score_rejected" };
        try
        {
            using var writer = RecordFiles.CreateWriter(output, null, new RecordWriterOptions { Columns = columns });
            writer.Write(pairs.Select(p => Row(p, GroupsByOtherProperty)).ToList());
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, output);
        }
        if (PassThru)
            foreach (var pair in pairs) WriteObject(pair);
    }

    private string CheckedOutput()
    {
        var output = ResolveOutputPath(Path);
        if (Directory.Exists(output))
            ThrowCoreError(new ArgumentException($"'{output}' is a folder; give a file path for -Path.", nameof(Path)), output);
        if (NoClobber && File.Exists(output))
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The file '{output}' exists and -NoClobber was given. Remove -NoClobber to overwrite it, or choose another -Path."),
                AlignedGenErrorIds.OutputExists, ErrorCategory.ResourceExists, output));
        return output;
    }

    private static DataRow Row(PreferencePair pair, bool withGroup)
    {
        var row = new DataRow();
        if (withGroup) row["prompt_id"] = pair.Group;
        row["prompt"] = pair.Prompt;
        row["chosen"] = pair.Chosen;
        row["rejected"] = pair.Rejected;
        row["score_chosen"] = pair.ScoreChosen;
        row["score_rejected"] = pair.ScoreRejected;
        return row;
    }
}
