using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-RewardGuidedDecode: generates a response per prompt with any registered strategy — ARGS (default), Best-of-N,
/// greedy, sampling, DARWIN, ... — through the core's TextGenerator, and writes a <see cref="DecodedResponse"/> per prompt
/// in input order. Each strategy's parameters are dynamic parameters taken from the <see cref="StrategyRegistry"/>
/// (-Strategy Args: -Weight, -CandidateCount; Sample: -Temperature, -TopK, -TopP; ...), so a name means one thing per
/// strategy. Prompts are read first, then decoded in batches of -BatchSize on a worker thread (results stream out as
/// batches finish), so the results equal TextGenerator.Generate over the same prompts and options.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RewardGuidedDecode")]
[OutputType(typeof(DecodedResponse))]
public sealed class InvokeRewardGuidedDecodeCommand : DecodingCmdlet, IDynamicParameters
{
    private StrategyParameters? _parameters;

    /// <summary>The decoding strategy, by its registered name in PascalCase (Args, ArgsStochastic, BestOfN, Greedy, Sample, Darwin, ...).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(StrategyNameCompleter))]
    [ValidateStrategyName]
    public string Strategy { get; set; } = ArgsOptions.GreedyDescriptor.PascalName;

    /// <summary>The chosen strategy's parameters (see <see cref="StrategyParameters"/>).</summary>
    public object GetDynamicParameters()
    {
        var descriptor = StrategyRegistry.Default.Get(Strategy);
        if (_parameters?.Descriptor != descriptor)
            _parameters = new StrategyParameters(descriptor, GetType());
        return _parameters.Dictionary;
    }

    /// <inheritdoc />
    protected override (string Strategy, string Alternative) RewardRequiredWording
    {
        get
        {
            var free = StrategyRegistry.Default.Descriptors.Where(d => !d.Default.NeedsReward).Select(d => d.PascalName);
            return ($"-Strategy {Strategy}", $", or use -Strategy {string.Join(" or ", free)}");
        }
    }

    /// <inheritdoc />
    protected override object? RewardRequiredTarget => Strategy;

    /// <inheritdoc />
    protected override object? StrategyErrorTarget => $"-Strategy {Strategy} {_parameters?.GivenText}".TrimEnd();

    /// <inheritdoc />
    protected override IDecodingStrategy CreateStrategy()
    {
        _ = GetDynamicParameters();
        return _parameters!.CreateSpec($"-Strategy {Strategy}").CreateStrategy();
    }
}
