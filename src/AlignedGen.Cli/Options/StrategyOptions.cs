using System.CommandLine;
using System.Globalization;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;

namespace AlignedGen.Cli.Options;

/// <summary>
/// How the CLI names a decoding strategy. `--strategy` takes a spec (a name and key=value pairs, e.g. "args w=1.5 k=10")
/// read by the core's <see cref="StrategyRegistry"/>, so every registered strategy and key works here; --k, --w, --n,
/// --temperature, --top-k and --top-p are shorthands that add their key to the spec, so a key the strategy does not
/// have is an error instead of being ignored.
/// </summary>
public sealed class StrategyOptions
{
    public Option<string> Strategy { get; } = new Option<string>("--strategy", "-s")
    {
        Description = "Decoding strategy, optionally with settings: " + StrategyRegistry.Default.NameList + "; e.g. \"args w=1.5 k=10\". See 'aligngen compare --help' for every key.",
        DefaultValueFactory = _ => "args",
        HelpName = "SPEC",
    }.CheckedBy(v => ComparisonSettingSpec.Parse(v));

    public Option<int?> CandidateCount { get; } = Key<int?>("--k", "k", "ARGS: candidates scored per step (default 10).", v => _ = new ArgsOptions(topK: v!.Value));
    public Option<double?> Weight { get; } = Key<double?>("--w", "w", "ARGS: reward weight w (default 1.0).", v => _ = new ArgsOptions(weight: v!.Value));
    public Option<int?> SampleCount { get; } = Key<int?>("--n", "n", "Best-of-N: samples per prompt (default 4).", v => _ = new BestOfNOptions(n: v!.Value));
    public Option<double?> Temperature { get; } = Key<double?>("--temperature", "t", "Sampling temperature (default 0.7).", v => _ = new SamplingOptions(temperature: v!.Value), "-t");
    public Option<int?> TopK { get; } = Key<int?>("--top-k", "top-k", "Sampling top-k (0 = off).", v => _ = new SamplingOptions(topK: v!.Value));
    public Option<double?> TopP { get; } = Key<double?>("--top-p", "top-p", "Nucleus top-p (1 = off).", v => _ = new SamplingOptions(topP: v!.Value));

    public StrategyOptions() => Strategy.CompletionSources.Add(Names);

    /// <summary>Strategy names (and aliases) from the registry, for shell completion.</summary>
    public static readonly string[] Names = StrategyRegistry.Default.Descriptors.SelectMany(d => d.Aliases.Prepend(d.Name))
        .Concat(new[] { "best-of-4", "best-of-16" }).ToArray();

    /// <summary>Adds the strategy options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Strategy, CandidateCount, Weight, SampleCount, Temperature, TopK, TopP })
            command.Options.Add(option);
    }

    /// <summary>The spec the options describe: --strategy plus one key=value per shorthand given.</summary>
    public string Spec(ParseResult parse)
    {
        var spec = parse.GetValue(Strategy) ?? "args";
        void Add<T>(Option<T?> option, string key) where T : struct, IFormattable
        {
            if (parse.GetValue(option) is { } value) spec += $" {key}={value.ToString(null, CultureInfo.InvariantCulture)}";
        }
        Add(CandidateCount, "k");
        Add(Weight, "w");
        Add(SampleCount, "n");
        Add(Temperature, "t");
        Add(TopK, "top-k");
        Add(TopP, "top-p");
        return spec;
    }

    /// <summary>
    /// The strategy and its label. A shorthand the strategy has no key for is an error naming the option, e.g.
    /// "--n is not a setting of args".
    /// </summary>
    public (IDecodingStrategy Strategy, string Label) Create(ParseResult parse)
    {
        var spec = Spec(parse);
        try
        {
            var setting = ComparisonSettingSpec.Parse(spec);
            return (setting.Strategy, setting.Label);
        }
        catch (ArgumentException e)
        {
            var message = CoreMessage.Of(e);
            var echo = $"Strategy spec '{spec.Trim()}': ";
            throw new CliUsageException($"--strategy \"{spec}\": {(message.StartsWith(echo, StringComparison.Ordinal) ? message[echo.Length..] : message)}");
        }
    }

    /// <summary>Every strategy name and key with defaults, for help texts.</summary>
    public static string Syntax => StrategyRegistry.Default.Syntax;

    private static Option<T> Key<T>(string name, string key, string description, Action<T> check, params string[] aliases) =>
        new Option<T>(name, aliases) { Description = description + $" Same as key {key}= in --strategy.", HelpName = "VALUE" }.CheckedBy(check);
}
