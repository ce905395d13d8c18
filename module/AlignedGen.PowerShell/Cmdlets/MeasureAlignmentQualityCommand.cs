using System.Management.Automation;
using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.PowerShell.Evaluation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Measure-AlignmentQuality: measures (prompt, response) pairs with the core's <see cref="QualityEvaluator"/> —
/// guiding and held-out reward, ARGS diversity, coherence, fluency and length — in batches of -BatchSize as they
/// arrive. Piped objects bind Prompt, Response, Reference, Id and TokenIds by property name (Invoke-RewardGuidedDecode
/// output, Import-JsonLines and Import-Csv rows) and are written back with one property per measured metric; pairs given
/// by -Prompt/-Response are written as new objects. Runs on the pipeline thread, so script-block rewards work.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "AlignmentQuality")]
[OutputType(typeof(PSObject))]
public sealed class MeasureAlignmentQualityCommand : AlignedGenCmdlet
{
    private readonly List<(PSObject Output, ResponseToEvaluate Row)> _pending = new();
    private QualityEvaluator? _evaluator;
    private CmdletProgress<long>? _progress;
    private long _received;
    private long _measured;

    /// <summary>The piped object that is written back with its metrics added.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The prompt(s); one per response, or one for all responses.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Instruction", "Question", "Query")]
    [AllowEmptyString]
    public string[]? Prompt { get; set; }

    /// <summary>The response(s) to measure.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Completion", "Output", "Answer")]
    [AllowEmptyString]
    public string[]? Response { get; set; }

    /// <summary>An optional reference answer, handed to the rewards.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Reference { get; set; }

    /// <summary>The pair's id (kept on the output object; labels errors).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PromptId")]
    public string? Id { get; set; }

    /// <summary>The response's token ids (Invoke-RewardGuidedDecode output has them); used for fluency and length when they decode to the response under the fluency model's tokenizer.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[]? TokenIds { get; set; }

    /// <summary>The reward the responses were optimised for (an object or a reward model folder); adds GuidingReward.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? GuidingReward { get; set; }

    /// <summary>A held-out reward the responses never saw (an object or a reward model folder); adds HeldOutReward.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? HeldOutReward { get; set; }

    /// <summary>A sentence embedder for coherence: an embedding model folder, an ISentenceEmbedder or a proxy reward; adds Coherence.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Embedder { get; set; }

    /// <summary>Measure coherence with the packaged all-MiniLM-L6-v2 (or a proxy reward's embedder) when -Embedder is not given.</summary>
    [Parameter]
    public SwitchParameter Coherence { get; set; }

    /// <summary>The generator (Import-AlignedModel object or model folder) for fluency (mean NLL); its tokenizer also counts Length.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? FluencyModel { get; set; }

    /// <summary>The chat template the generator wrapped prompts in (chatml, llama3, ..., auto), so fluency sees the prompt as it did.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChatTemplate { get; set; }

    /// <summary>Pairs per reward, embedding and fluency batch.</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = AlignedGenDefaults.BatchSize;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            var guiding = OpenRewardOrNull(GuidingReward, nameof(GuidingReward));
            var heldOut = OpenRewardOrNull(HeldOutReward, nameof(HeldOutReward));
            var embedder = Embedder is not null || Coherence ? OpenEmbedder(Embedder, guiding, heldOut) : null;
            var model = FluencyModel is null ? null : OpenModel(FluencyModel, nameof(FluencyModel));
            _evaluator = new QualityEvaluator(new QualityEvaluatorOptions
            {
                GuidingReward = guiding,
                HeldOutReward = heldOut,
                Embedder = embedder,
                FluencyModel = model,
                BatchSize = BatchSize,
                PromptEncoding = new Decoding.GenerationOptions(chatTemplate: ChatTemplate),
            });
            _progress = CreateProgress<long>("Measure-AlignmentQuality", done => new ProgressInfo($"{done} responses measured", done));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var prompts = Prompt ?? Array.Empty<string>();
        var responses = Response ?? Array.Empty<string>();
        var problem = prompts.Length == 0 ? "has no Prompt (nor Instruction, Question, Query)"
            : responses.Length == 0 ? "has no Response (nor Completion, Output, Answer)"
            : prompts.Length != 1 && prompts.Length != responses.Length ? $"has {prompts.Length} prompts for {responses.Length} responses; give one prompt per response, or one for all"
            : prompts.Any(p => p is null) || responses.Any(r => r is null) ? "has a null prompt or response; use '' for empty text"
            : null;
        if (problem is not null)
        {
            WriteCoreError(new ArgumentException($"The input {problem}.", prompts.Length == 0 ? nameof(Prompt) : nameof(Response)), InputObject ?? (object?)Id);
            return;
        }
        var annotate = InputObject is not null && responses.Length == 1;
        for (var i = 0; i < responses.Length; i++)
        {
            var prompt = prompts.Length == 1 ? prompts[0] : prompts[i];
            var id = responses.Length == 1 && Id is not null ? Id : _received.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _received++;
            var output = annotate ? InputObject! : QualityOutput.NewPair(Id is null ? null : id, prompt, responses[i]);
            var ids = responses.Length == 1 ? QualityOutput.UsableTokenIds(TokenIds, responses[i], _evaluator!.Options.EffectiveTokenizer) : null;
            _pending.Add((output, new ResponseToEvaluate(prompt, responses[i], Reference) { PromptId = id, ResponseTokenIds = ids }));
            if (_pending.Count >= BatchSize) Flush();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Flush();
        _progress?.Complete();
    }

    private void Flush()
    {
        if (_pending.Count == 0) return;
        var batch = _pending.ToArray();
        _pending.Clear();
        IReadOnlyList<EvaluatedResponse> measured;
        try
        {
            measured = _evaluator!.Evaluate(batch.Select(p => p.Row).ToArray(), null, CancellationToken);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            if (ErrorRecordFactory.Unwrap(ex) is OperationCanceledException) ThrowCoreError(ex);
            WriteCoreError(ex, $"responses {batch[0].Row.PromptId} to {batch[^1].Row.PromptId}");
            return;
        }
        var options = _evaluator.Options;
        for (var i = 0; i < batch.Length; i++)
        {
            try
            {
                QualityOutput.AddMetrics(batch[i].Output, measured[i], options);
            }
            catch (ArgumentException ex)
            {
                WriteCoreError(ex, batch[i].Output);
                continue;
            }
            WriteObject(batch[i].Output);
        }
        _measured += batch.Length;
        _progress?.Report(_measured);
    }
}
