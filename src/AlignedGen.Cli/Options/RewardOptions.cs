using System.CommandLine;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli.Options;

/// <summary>
/// How the CLI names a reward: each --reward is read as the core's <see cref="RewardReference"/> (a reward-model folder,
/// an hf: reference or `proxy`); several `--reward` with `--reward-weight` make a weighted composite reference. The
/// command's <see cref="OpenedSources"/> opens them (equal references once) and disposes them.
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

    /// <summary>The reward one spec names (reward models run with <paramref name="execution"/>).</summary>
    public static RewardReference Reference(string spec, ExecutionOptions execution)
        => RewardReference.Parse(spec, options: execution == ExecutionOptions.Default ? null : new RewardModelOptions { Execution = execution });

    /// <summary>The given specs opened one by one into <paramref name="opened"/>.</summary>
    public IReadOnlyList<IRewardSource> OpenEach(ParseResult parse, ExecutionOptions execution, OpenedSources opened) =>
        (parse.GetValue(Reward) ?? Array.Empty<string>()).Select(spec => opened.Open(Reference(spec, execution))).ToArray();

    /// <summary>Whether weights were given (relabel then writes one composite column).</summary>
    public bool HasWeights(ParseResult parse) => parse.GetValue(Weight) is { Length: > 0 };

    /// <summary>
    /// The reward the options describe: null without --reward, the source itself for one, a weighted composite for
    /// several (or one with a weight).
    /// </summary>
    public IRewardSource? OpenCombined(ParseResult parse, ExecutionOptions execution, OpenedSources opened)
    {
        var specs = parse.GetValue(Reward) ?? Array.Empty<string>();
        var weights = parse.GetValue(Weight) ?? Array.Empty<double>();
        if (weights.Length > 0 && weights.Length != specs.Length)
            throw new CliUsageException($"--reward-weight was given {weights.Length} time(s) for {specs.Length} --reward(s). Give one weight per reward, in the same order, or none.");
        if (specs.Length == 0) return null;
        var references = specs.Select(spec => Reference(spec, execution)).ToArray();
        if (references.Length == 1 && weights.Length == 0) return opened.Open(references[0]);
        return opened.Open(RewardReference.Composite(references.Select((r, i) => new WeightedRewardReference(r, weights.Length == 0 ? 1.0 : weights[i]))));
    }
}
