using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Rewards;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base class of the decoding cmdlets (Invoke-RewardGuidedDecode, Invoke-DarwinDecode): -Model, -RewardModel, -Seed,
/// -MaxNewTokens, -StopString, -ChatTemplate, -BatchSize. Reads all prompts first, then decodes them with one
/// TextGenerator.GenerateStream call (which batches them by -BatchSize: the only batching stage) on a worker thread,
/// writing a <see cref="DecodedResponse"/> per prompt in input order as batches finish. Script-block rewards run on the
/// pipeline thread. Derived cmdlets build the strategy; the strategy says whether it needs a reward.
/// </summary>
public abstract class DecodingCmdlet : PromptPipelineCmdlet
{
    private readonly List<PromptItem> _prompts = new();
    private TextGenerator? _generator;
    private IDecodingStrategy? _strategy;
    private GenerationOptions? _options;

    /// <summary>A model from Import-AlignedModel, or a model folder (loaded on the CPU for this command).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object Model { get; set; } = null!;

    /// <summary>A reward (Import-RewardModel, New-ProxyReward, New-CompositeReward, New-ScriptReward), a reward model folder, or "proxy".</summary>
    [Parameter]
    public object? RewardModel { get; set; }

    /// <summary>Seed for every random choice; the same seed gives the same responses whatever -BatchSize is.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>New tokens per prompt at most.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MaxNewTokens { get; set; } = AlignedGenDefaults.MaxNewTokens;

    /// <summary>Texts that end a response (it is cut before them).</summary>
    [Parameter]
    public string[]? StopString { get; set; }

    /// <summary>Chat template to wrap prompts in (chatml, llama3, ...), or auto to infer it from the model folder; raw prompts when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChatTemplate { get; set; }

    /// <summary>Prompts decoded together in one batch (rows of one model call).</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = AlignedGenDefaults.BatchSize;

    /// <summary>
    /// Most bytes one batch's model caches may fill (the LM's KV cache plus the strategy's: ARGS's reward-model
    /// candidates, Best-of-N's samples), e.g. 8GB. A batch that needs more runs as sub-batches with the same results; a
    /// prompt that cannot fit alone fails with AlignedGen.PromptFailed. Default: half the memory available at start.
    /// </summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? MemoryBudget { get; set; }

    /// <summary>
    /// Show each response's text on the host as it is decoded — token by token for greedy, sampling and ARGS, at once for
    /// strategies that decide at the end — one prompt at a time (as -BatchSize 1; the responses are the same). The
    /// response objects still go to the pipeline; the text goes to the information stream tagged PSHOST, as Write-Host's
    /// does (capture it with -InformationVariable or 6>&amp;1).
    /// </summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>
    /// Stop at the first prompt that cannot be generated (a terminating error) instead of writing an
    /// AlignedGen.PromptFailed error for it and going on with the others.
    /// </summary>
    [Parameter]
    public SwitchParameter FailFast { get; set; }

    /// <summary>The strategy to decode with, built from the cmdlet's parameters (core option validation throws here).</summary>
    protected abstract IDecodingStrategy CreateStrategy();

    /// <summary>How the error for a missing reward names the strategy ("-Strategy Args"), and what to do instead (", or use -Strategy Greedy"), in parameter terms.</summary>
    protected abstract (string Strategy, string Alternative) RewardRequiredWording { get; }

    /// <summary>Target object of an error in the strategy's values (what the user typed for them), or null.</summary>
    protected virtual object? StrategyErrorTarget => null;

    /// <summary>
    /// Target object of <paramref name="error"/> from the strategy's options: <see cref="StrategyErrorTarget"/> when the
    /// cmdlet has one; else, when the core names an option that is also this cmdlet's parameter (the core's keep is
    /// -Keep), that parameter as typed ("-Keep 9").
    /// </summary>
    protected virtual object? StrategyErrorTargetOf(Exception error)
    {
        if (StrategyErrorTarget is { } target) return target;
        if (ErrorRecordFactory.Unwrap(error) is not ArgumentException { ParamName: { Length: > 0 } name }) return null;
        var parameter = char.ToUpperInvariant(name[0]) + name[1..];
        return MyInvocation.BoundParameters.TryGetValue(parameter, out var value) ? $"-{parameter} {value}" : null;
    }

    /// <summary>Target object of the AlignedGen.RewardModelRequired error.</summary>
    protected virtual object? RewardRequiredTarget => null;

    /// <summary>The pipeline object for one result; the <see cref="DecodedResponse"/> unless overridden.</summary>
    protected virtual object ToOutput(GenerationResult result, DecodedResponse response) => response;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _strategy = CreateStrategy();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, StrategyErrorTargetOf(ex));
        }
        if (RewardModel is null && _strategy!.NeedsReward)
        {
            var (strategy, alternative) = RewardRequiredWording;
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                $"{strategy} needs a reward: give -RewardModel (a reward model folder, \"proxy\", or an object from Import-RewardModel, New-ProxyReward, New-CompositeReward or New-ScriptReward){alternative}.",
                nameof(RewardModel)), AlignedGenErrorIds.RewardModelRequired, ErrorCategory.InvalidArgument, RewardRequiredTarget));
        }
        try
        {
            _options = new GenerationOptions(MaxNewTokens, Stream ? 1 : BatchSize, StopString, chatTemplate: ChatTemplate, seed: Seed) { FailFast = FailFast.IsPresent, MemoryBudgetBytes = MemoryBudget };
            _generator = new TextGenerator(OpenModel(Model), RewardModel is null ? null : OpenReward(RewardModel));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessPrompt(PromptItem prompt) => _prompts.Add(prompt);

    /// <inheritdoc />
    protected override void EndOfPrompts()
    {
        if (_prompts.Count == 0) return;
        var requests = _prompts.Select(p => new GenerationRequest(p.Prompt, p.IdOrIndex, p.Reference)).ToArray();
        var tokenizer = _generator!.Model.Tokenizer;
        var activity = $"Decoding {requests.Length} prompt(s) with {_strategy!.Name}";
        try
        {
            RunInBackground(work =>
            {
                using var marshal = ScriptBlockRewardSource.MarshalTo(work);
                var progress = work.CreateProgress<GenerationProgress>(activity, p => new ProgressInfo(
                    $"{p.Completed} of {p.Total} prompts, {p.GeneratedTokens} tokens", p.Completed, p.Total));
                void Write(GenerationResult result)
                {
                    if (result.FinishReason == FinishReason.Error) work.WriteError(PromptFailed(result));
                    else work.WriteObject(ToOutput(result, DecodedResponse.From(result, result.Id ?? string.Empty, tokenizer)));
                }
                if (!Stream)
                {
                    foreach (var result in _generator.GenerateStream(requests, _strategy, _options, progress, work.CancellationToken)) Write(result);
                    return;
                }
                int done = 0;
                long tokens = 0;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                foreach (var update in _generator.GenerateStreamingAsync(requests, _strategy, _options, work.CancellationToken).ToBlockingEnumerable(work.CancellationToken))
                {
                    if (update.Text.Length > 0) work.WriteHost(update.Text, newLine: false);
                    if (update.Result is not { } result) continue;
                    if (result.FinishReason != FinishReason.Error) work.WriteHost(string.Empty, newLine: true);   // each response ends its line
                    Write(result);
                    tokens += result.TokenIds.Count;
                    progress.Report(new GenerationProgress(++done, requests.Length, tokens, clock.Elapsed));
                }
            });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <summary>The non-terminating error of a prompt the core could not generate (its reason; the target is the prompt's id).</summary>
    private static ErrorRecord PromptFailed(GenerationResult result) =>
        new(new InvalidOperationException($"Prompt '{result.Id}' was not generated: {ModuleWording.Wording.Translate(result.Error ?? "")}"), AlignedGenErrorIds.PromptFailed, ErrorCategory.InvalidData, result.Id)
        {
            ErrorDetails = new ErrorDetails($"Prompt '{result.Id}' was not generated: {ModuleWording.Wording.Translate(result.Error ?? "")}")
            {
                RecommendedAction = "Fix or remove that prompt and run it again; the other prompts were generated. Use -FailFast to stop at the first such prompt instead.",
            },
        };
}
