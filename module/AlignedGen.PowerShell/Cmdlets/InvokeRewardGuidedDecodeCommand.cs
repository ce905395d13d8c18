using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-RewardGuidedDecode: generates a response per prompt with ARGS (default), Best-of-N, greedy or sampling through
/// the core's TextGenerator, and writes a <see cref="DecodedResponse"/> per prompt in input order. Prompts are read
/// first, then decoded in batches of -BatchSize on a worker thread (results stream out as batches finish), so the
/// results equal TextGenerator.Generate over the same prompts and options. Script-block rewards run on the pipeline thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RewardGuidedDecode")]
[OutputType(typeof(DecodedResponse))]
public sealed class InvokeRewardGuidedDecodeCommand : DecodingCmdlet
{
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

    /// <inheritdoc />
    protected override string? RewardRequiredMessage => Strategy is DecodeStrategyName.Args or DecodeStrategyName.BestOfN
        ? $"-Strategy {Strategy} needs a reward: give -RewardModel (a reward model folder, or an object from Import-RewardModel, New-ProxyReward, New-CompositeReward or New-ScriptReward), or use -Strategy Greedy or Sample."
        : null;

    /// <inheritdoc />
    protected override object? RewardRequiredTarget => Strategy;

    /// <inheritdoc />
    protected override IDecodingStrategy CreateStrategy()
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
