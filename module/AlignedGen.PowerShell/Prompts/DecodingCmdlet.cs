using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base class of the decoding cmdlets (Invoke-RewardGuidedDecode, Invoke-DarwinDecode): -Model, -RewardModel, -Seed,
/// -MaxNewTokens, -StopString, -ChatTemplate. Reads all prompts first, then decodes them with one
/// TextGenerator.GenerateStream call in batches of -BatchSize on a worker thread, writing a <see cref="DecodedResponse"/>
/// per prompt in input order as batches finish. Script-block rewards run on the pipeline thread. Derived cmdlets say
/// which strategy to run and whether it needs a reward.
/// </summary>
public abstract class DecodingCmdlet : PromptPipelineCmdlet
{
    private readonly List<IDisposable> _owned = new();
    private readonly List<PromptItem> _prompts = new();
    private TextGenerator? _generator;
    private IDecodingStrategy? _strategy;
    private GenerationOptions? _options;

    /// <summary>A model from Import-AlignedModel, or a model folder (loaded on the CPU for this command).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object Model { get; set; } = null!;

    /// <summary>A reward (Import-RewardModel, New-ProxyReward, New-CompositeReward, New-ScriptReward) or a reward model folder.</summary>
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

    /// <summary>Null when the strategy runs without a reward; otherwise the message of the AlignedGen.RewardModelRequired error.</summary>
    protected abstract string? RewardRequiredMessage { get; }

    /// <summary>Target object of the AlignedGen.RewardModelRequired error.</summary>
    protected virtual object? RewardRequiredTarget => null;

    /// <summary>The strategy to decode with, built from the cmdlet's parameters (core option validation throws here).</summary>
    protected abstract IDecodingStrategy CreateStrategy();

    /// <summary>The pipeline object for one result; the <see cref="DecodedResponse"/> unless overridden.</summary>
    protected virtual object ToOutput(GenerationResult result, DecodedResponse response) => response;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (RewardModel is null && RewardRequiredMessage is { } message)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, nameof(RewardModel)),
                AlignedGenErrorIds.RewardModelRequired, ErrorCategory.InvalidArgument, RewardRequiredTarget));
        }
        try
        {
            _strategy = CreateStrategy();
            _options = new GenerationOptions(MaxNewTokens, BatchSize, StopString, chatTemplate: ChatTemplate, seed: Seed);
            var model = ModelArguments.ResolveModel(Model, ResolveOutputPath, out var ownsModel);
            if (ownsModel) _owned.Add(model);
            IRewardSource? reward = null;
            if (RewardModel is not null)
            {
                reward = ModelArguments.ResolveReward(RewardModel, ResolveOutputPath, out var ownsReward);
                if (ownsReward && reward is IDisposable disposable) _owned.Add(disposable);
            }
            _generator = new TextGenerator(model, reward);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessPromptBatch(IReadOnlyList<PromptItem> batch) => _prompts.AddRange(batch);

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
                foreach (var result in _generator.GenerateStream(requests, _strategy, _options, progress, work.CancellationToken))
                    work.WriteObject(ToOutput(result, DecodedResponse.From(result, result.Id ?? string.Empty, tokenizer)));
            });
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var item in _owned) item.Dispose();
        _owned.Clear();
    }
}
