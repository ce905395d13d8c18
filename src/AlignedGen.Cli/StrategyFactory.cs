using AlignedGen.Decoding;

namespace AlignedGen.Cli;

/// <summary>
/// Maps --strategy NAME and that strategy's parameters onto a registered strategy (<see cref="StrategyRegistry"/>): each
/// parameter is read from --KEY or its long name (--k / --candidate-count, --t / --temperature, --top-k, --n ...).
/// </summary>
public static class StrategyFactory
{
    public static StrategySpec Create(CliArguments a)
    {
        var descriptor = StrategyRegistry.Default.Get(a.Get("--strategy") ?? ArgsOptions.GreedyDescriptor.Name);
        var given = new List<KeyValuePair<string, object?>>();
        foreach (var p in descriptor.Parameters)
        {
            var value = a.Get("--" + p.Key) ?? a.Get("--" + LongName(p.Name));
            if (value is not null) given.Add(new(p.Key, value));
        }
        return descriptor.Create(given, $"--strategy {descriptor.Name}");
    }

    /// <summary>"CandidateCount" → "candidate-count".</summary>
    public static string LongName(string pascalName)
        => string.Concat(pascalName.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
