using AlignedGen.Hub;
using System.CommandLine;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Options;

/// <summary>
/// How the CLI names a reward — the one place that opens reward sources, so moving to a shared reward reference is
/// local. A reward is a reward-model folder or `proxy` (the white-box proxy reward); several `--reward` with
/// `--reward-weight` make a weighted composite.
/// </summary>
public sealed class RewardOptions
{
    public const string Syntax = "a reward-model folder, hf:org/name[@rev][/subfolder] (Hugging Face Hub), or 'proxy'";

    public Option<string[]> Reward { get; } = new("--reward", "-r")
    {
        Description = "Reward: " + Syntax + ". Repeat for several (a weighted sum; relabel writes one column each unless --reward-weight is given).",
        HelpName = "DIR|proxy",
    };

    public Option<double[]> Weight { get; } = new Option<double[]>("--reward-weight")
    {
        Description = "Weight of each --reward in the composite, in the same order (default 1 each).",
        HelpName = "W",
    }.CheckedBy(v =>
    {
        foreach (var w in v) _ = new RewardComponent(DelegateRewardSource.PerQuery("check", _ => 0), w);
    });

    public void AddTo(Command command)
    {
        command.Options.Add(Reward);
        command.Options.Add(Weight);
    }

    /// <summary>Opens one reward spec; the caller disposes the result when it is <see cref="IDisposable"/>.</summary>
    public static IRewardSource Open(string spec, ExecutionOptions execution) => spec.Trim().ToLowerInvariant() switch
    {
        "proxy" => ProxyRewardSource.CreateDefault(),
        _ => RewardModelLoader.FromFolder(ModelLocation.ResolveFolder(spec, execution.Device), new RewardModelOptions { Execution = execution }),
    };

    /// <summary>The given specs opened one by one (tracked in <paramref name="owned"/> for disposal).</summary>
    public IReadOnlyList<IRewardSource> OpenEach(ParseResult parse, ExecutionOptions execution, OwnedResources owned) =>
        (parse.GetValue(Reward) ?? Array.Empty<string>()).Select(spec => owned.Track(Open(spec, execution))).ToArray();

    /// <summary>Whether weights were given (relabel then writes one composite column).</summary>
    public bool HasWeights(ParseResult parse) => parse.GetValue(Weight) is { Length: > 0 };

    /// <summary>
    /// The reward the options describe: null without --reward, the source itself for one, a weighted
    /// <see cref="CompositeRewardSource"/> for several (or one with a weight).
    /// </summary>
    public IRewardSource? OpenCombined(ParseResult parse, ExecutionOptions execution, OwnedResources owned)
    {
        var specs = parse.GetValue(Reward) ?? Array.Empty<string>();
        var weights = parse.GetValue(Weight) ?? Array.Empty<double>();
        if (weights.Length > 0 && weights.Length != specs.Length)
            throw new CliUsageException($"--reward-weight was given {weights.Length} time(s) for {specs.Length} --reward(s). Give one weight per reward, in the same order, or none.");
        if (specs.Length == 0) return null;
        var sources = OpenEach(parse, execution, owned);
        if (sources.Count == 1 && weights.Length == 0) return sources[0];
        return new CompositeRewardSource(sources.Select((s, i) => new RewardComponent(s, weights.Length == 0 ? 1.0 : weights[i])));
    }
}
