using System.Globalization;
using System.Management.Automation;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Evaluation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Compare-DecodingStrategy: runs the core's <see cref="StrategyComparison"/> — every setting (text specs such as
/// "args w=1.5"; the default sweep when none are given) over the same prompts with the model and rewards loaded once,
/// every response measured — on a worker thread with Write-Progress over the whole comparison, and writes one
/// <see cref="StrategySummary"/> per setting (and, with -PassThru, the <see cref="ComparisonResult"/>). With
/// -OutputFolder the comparison folder (comparison.json, responses/, summary.md, summary.csv) is written as it runs.
/// </summary>
[Cmdlet(VerbsData.Compare, "DecodingStrategy", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true)]
[OutputType(typeof(StrategySummary), typeof(ComparisonResult))]
public sealed class CompareDecodingStrategyCommand : AlignedGenCmdlet
{
    private const string PromptSet = "Prompt";
    private const string PromptFileSet = "PromptFile";

    private readonly List<GenerationRequest> _requests = new();
    private StrategyComparison? _comparison;
    private long _received;

    /// <summary>The language model: an object from Import-AlignedModel, or a model folder (loaded for this command).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Model { get; set; } = null!;

    /// <summary>The prompts: strings, or objects with Prompt (or Instruction) and optional Id and Reference.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = PromptSet)]
    [AllowEmptyString]
    [AllowNull]
    public object?[] Prompt { get; set; } = Array.Empty<object?>();

    /// <summary>A .jsonl file with one {"prompt": ..., "id": ..., "reference": ...} object per line.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PromptFileSet)]
    [ValidateNotNullOrEmpty]
    public string PromptFile { get; set; } = string.Empty;

    /// <summary>Setting specs ("greedy", "sample t=0.7", "best-of-4", "args w=1.5 k=10", "darwin m=8 keep=2"); the default sweep when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StrategySpecCompleter))]
    public string[] Setting { get; set; } = ComparisonSettingSpec.DefaultSweepSpecs.ToArray();

    /// <summary>The reward that guides ARGS, Best-of-N and DARWIN (object or reward model folder); measured on every setting.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? GuidingReward { get; set; }

    /// <summary>A held-out reward the strategies never see (object or reward model folder): the honest judge and the win/tie/loss measure.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? HeldOutReward { get; set; }

    /// <summary>The label of the setting win/tie/loss is measured against; the first setting when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>New tokens per response at most.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MaxNewTokens { get; set; } = AlignedGenDefaults.ComparisonMaxNewTokens;

    /// <summary>Prompts decoded (and measured) together.</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = AlignedGenDefaults.BatchSize;

    /// <summary>Most bytes one batch's model caches may fill, e.g. 8GB; a batch that needs more runs as sub-batches with the same results. Default: half the memory available at start.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? MemoryBudget { get; set; }

    /// <summary>Seed shared by every setting; drawn once and recorded when absent.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>Held-out reward differences within ± this margin count as ties.</summary>
    [Parameter]
    public double TieMargin { get; set; }

    /// <summary>Do not measure fluency (mean NLL under the model).</summary>
    [Parameter]
    public SwitchParameter NoFluency { get; set; }

    /// <summary>Do not measure coherence (prompt–response embedding cosine).</summary>
    [Parameter]
    public SwitchParameter NoCoherence { get; set; }

    /// <summary>The sentence embedder for coherence (folder, ISentenceEmbedder or proxy reward); a proxy reward's or the packaged MiniLM when absent.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Embedder { get; set; }

    /// <summary>Chat template to wrap prompts in (chatml, llama3, ..., auto); raw prompts when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChatTemplate { get; set; }

    /// <summary>Folder for comparison.json, responses/*.jsonl, summary.md and summary.csv (each setting's file written when it is done).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputFolder { get; set; }

    /// <summary>Also write the ComparisonResult (after the summaries), e.g. for Export-AlignmentReport.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        IReadOnlyList<ComparisonSetting> settings = Array.Empty<ComparisonSetting>();
        try
        {
            settings = ComparisonSettingSpec.ParseAll(Setting);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, Setting);
        }
        var needy = settings.FirstOrDefault(s => s.NeedsReward);
        if (needy is not null && GuidingReward is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                $"Setting '{needy.Label}' is guided by a reward: give -GuidingReward (a reward model folder, or an object from Import-RewardModel, New-ProxyReward, New-CompositeReward or New-ScriptReward), or compare only greedy and sample settings.",
                nameof(GuidingReward)), AlignedGenErrorIds.RewardModelRequired, ErrorCategory.InvalidArgument, needy.Label));
        }
        try
        {
            var model = OpenModel(Model);
            var guiding = OpenRewardOrNull(GuidingReward, nameof(GuidingReward));
            var heldOut = OpenRewardOrNull(HeldOutReward, nameof(HeldOutReward));
            if (heldOut is not null && ReferenceEquals(heldOut, guiding))
                WriteWarning("-HeldOutReward is the guiding reward; judging with the reward a strategy optimised overstates its gains. Pass another reward as -HeldOutReward.");
            if (heldOut is null)
                WriteVerbose("No -HeldOutReward: the summaries have no held-out reward and no win/tie/loss against the baseline.");
            var embedder = NoCoherence ? null : OpenEmbedder(Embedder, guiding, heldOut);
            var options = new ComparisonOptions(settings)
            {
                Baseline = Baseline ?? settings[0].Label,
                Generation = new GenerationOptions(MaxNewTokens, BatchSize, chatTemplate: ChatTemplate, seed: Seed) { MemoryBudgetBytes = MemoryBudget },
                GuidingReward = guiding,
                HeldOutReward = heldOut,
                Embedder = embedder,
                MeasureFluency = !NoFluency,
                TieMargin = TieMargin,
                OutputFolder = OutputFolder is null ? null : ResolveOutputPath(OutputFolder),
            };
            _comparison = new StrategyComparison(model, options);
            if (ParameterSetName == PromptFileSet) _requests.AddRange(ComparisonPrompts.ReadFile(ResolveOutputPath(PromptFile)));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName != PromptSet) return;
        foreach (var input in Prompt)
        {
            try
            {
                _requests.Add(ComparisonPrompts.FromInput(input, _received));
            }
            catch (ArgumentException ex)
            {
                WriteCoreError(ex, input);
            }
            _received++;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var comparison = _comparison!;
        var requests = _requests.ToArray();
        var settingCount = comparison.Options.Settings.Count;
        var activity = $"Comparing {settingCount} setting(s) on {requests.Length} prompt(s)";
        // The folder is this command's only change to the system: declined, nothing runs (a comparison can take hours).
        if (comparison.Options.OutputFolder is { } folder && !ShouldProcess(folder, $"{activity} and write the comparison folder")) return;
        ComparisonResult result;
        try
        {
            result = RunInBackground(work =>
            {
                using var marshal = ScriptBlockRewardSource.MarshalTo(work);
                var progress = work.CreateProgress<ComparisonProgress>(activity, Describe);
                return comparison.Run(requests, progress, work.CancellationToken);
            });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            if (ErrorRecordFactory.Unwrap(ex) is DataFileException written)
                ThrowTerminatingError(ErrorRecordFactory.WithId(written, AlignedGenErrorIds.OutputNotWritable, ErrorCategory.WriteError));
            ThrowCoreError(ex);
            return;
        }
        foreach (var summary in result.Summaries)
        {
            var row = PSObject.AsPSObject(summary);
            QualityOutput.SetProperty(row, "IsBaseline", summary.Setting == result.Baseline);
            WriteObject(row);
        }
        if (PassThru) WriteObject(result);
    }

    /// <summary>One progress line for the whole comparison: overall percent, the current setting and its stage.</summary>
    private static ProgressInfo Describe(ComparisonProgress p)
    {
        var stage = p.Stage switch
        {
            ComparisonStage.Generating => "generating",
            ComparisonStage.Evaluating => "evaluating",
            _ => "finished",
        };
        var status = p.Stage == ComparisonStage.Finished
            ? $"All {p.SettingCount} settings done"
            : $"Setting {p.SettingNumber} of {p.SettingCount}: {p.Setting} ({stage})";
        return new ProgressInfo(status, (long)Math.Round(p.OverallFraction * 10_000), 10_000,
            string.Format(CultureInfo.InvariantCulture, "{0} of {1} prompts {2}, {3:F0} s elapsed", p.PromptsDone, p.PromptCount,
                p.Stage == ComparisonStage.Generating ? "generated" : "measured", p.Elapsed.TotalSeconds));
    }
}
