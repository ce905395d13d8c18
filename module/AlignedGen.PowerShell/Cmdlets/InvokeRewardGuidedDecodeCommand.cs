using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;
using AlignedGen.PowerShell.Rewards;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-RewardGuidedDecode: generates a response per prompt with ARGS (default), Best-of-N, greedy or sampling through
/// the core's TextGenerator, and writes a <see cref="DecodedResponse"/> per prompt in input order. Prompts are read
/// first, then decoded in batches of -BatchSize on a worker thread (results stream out as batches finish), so the
/// results equal TextGenerator.Generate over the same prompts and options. Script-block rewards run on the pipeline thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RewardGuidedDecode")]
[OutputType(typeof(DecodedResponse))]
public sealed class InvokeRewardGuidedDecodeCommand : PromptPipelineCmdlet
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

    /// <summary>The decoding strategy.</summary>
    [Parameter]
    public DecodeStrategyName Strategy { get; set; } = DecodeStrategyName.Args;

    /// <summary>ARGS: candidates scored per step; Sample and BestOfN: top-k filter (0 = off).</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int TopK { get; set; } = AlignedGenDefaults.ArgsTopK;

    /// <summary>ARGS: reward weight w in score = log p + w · reward.</summary>
    [Parameter]
    public double Weight { get; set; } = AlignedGenDefaults.ArgsWeight;

    /// <summary>ARGS: sample among the top-k by the combined score instead of taking the best.</summary>
    [Parameter]
    public SwitchParameter Stochastic { get; set; }

    /// <summary>Sampling temperature (Sample, BestOfN, ARGS with -Stochastic).</summary>
    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double Temperature { get; set; } = AlignedGenDefaults.Temperature;

    /// <summary>Nucleus (top-p) filter for Sample and BestOfN; 1 = off.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double TopP { get; set; } = AlignedGenDefaults.TopP;

    /// <summary>BestOfN: samples per prompt.</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int N { get; set; } = AlignedGenDefaults.BestOfN;

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

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var needsReward = Strategy is DecodeStrategyName.Args or DecodeStrategyName.BestOfN;
        if (needsReward && RewardModel is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-Strategy {Strategy} needs a reward: give -RewardModel (a reward model folder, or an object from Import-RewardModel, New-ProxyReward, New-CompositeReward or New-ScriptReward), or use -Strategy Greedy or Sample.", nameof(RewardModel)),
                AlignedGenErrorIds.RewardModelRequired, ErrorCategory.InvalidArgument, Strategy));
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
                    work.WriteObject(DecodedResponse.From(result, result.Id ?? string.Empty, tokenizer));
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

    private IDecodingStrategy CreateStrategy()
    {
        var topKGiven = MyInvocation.BoundParameters.ContainsKey(nameof(TopK));
        var samplingTopK = topKGiven ? TopK : AlignedGenDefaults.SamplingTopK;
        return Strategy switch
        {
            DecodeStrategyName.Args => new ArgsStrategy(new ArgsOptions(TopK, Weight, Stochastic, Temperature)),
            DecodeStrategyName.BestOfN => new BestOfNStrategy(new BestOfNOptions(N, new SamplingOptions(Temperature, samplingTopK, TopP))),
            DecodeStrategyName.Greedy => SamplingStrategy.Greedy,
            _ => new SamplingStrategy(new SamplingOptions(Temperature, samplingTopK, TopP)),
        };
    }
}
