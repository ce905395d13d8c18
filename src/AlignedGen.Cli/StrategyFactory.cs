using AlignedGen.Decoding;

namespace AlignedGen.Cli;

/// <summary>Maps the --strategy option and its settings onto a decoding strategy.</summary>
public static class StrategyFactory
{
    public static IDecodingStrategy Create(CliArguments a)
    {
        var name = (a.Get("--strategy") ?? "args").ToLowerInvariant();
        double t = a.GetDouble("--temperature", AlignedGenDefaults.Temperature);
        return name switch
        {
            "greedy" => SamplingStrategy.Greedy,
            "sample" => new SamplingStrategy(new SamplingOptions(t, a.GetInt("--top-k", 0), a.GetDouble("--top-p", 1))),
            "args" => new ArgsStrategy(new ArgsOptions(a.GetInt("--k", AlignedGenDefaults.ArgsTopK), a.GetDouble("--w", AlignedGenDefaults.ArgsWeight))),
            "args-stochastic" => new ArgsStrategy(new ArgsOptions(a.GetInt("--k", AlignedGenDefaults.ArgsTopK), a.GetDouble("--w", AlignedGenDefaults.ArgsWeight), stochastic: true, temperature: t)),
            "best-of-n" => new BestOfNStrategy(new BestOfNOptions(a.GetInt("--n", AlignedGenDefaults.BestOfN), new SamplingOptions(t, a.GetInt("--top-k", 0), a.GetDouble("--top-p", 1)))),
            _ => throw new ArgumentException($"Unknown strategy '{name}'. Use greedy, sample, args, args-stochastic or best-of-n."),
        };
    }

    public static bool NeedsReward(IDecodingStrategy s) => AlignedGen.Evaluation.StrategyComparison.NeedsReward(s);
}
