using AlignedGen.Decoding;

namespace AlignedGen.Evaluation;

/// <summary>
/// One-line setting specs for comparisons — a strategy name and <c>key=value</c> pairs, e.g. <c>"args w=1.5 k=10"</c> —
/// parsed by the <see cref="StrategyRegistry"/> into <see cref="ComparisonSetting"/>s; shared by the CLI, the cmdlets and
/// ML.NET. The label is the spec's label (<c>"args w=1.5"</c>), the family groups a sweep (<c>"args-greedy"</c>), the
/// parameters hold every numeric setting of the strategy, defaults included. See <see cref="Syntax"/>.
/// </summary>
public static class ComparisonSettingSpec
{
    /// <summary>
    /// The default sweep: greedy (the baseline), sampling, Best-of-4 and -16, ARGS at w = 0.5, 1, 1.5, 2, and DARWIN with
    /// a replacement every 8 tokens keeping 2 states (the setting docs/darwin.md measured on 64-token stories). DARWIN
    /// keeps its instruction mutation on: with a model that cannot write numbered instructions (stories260K) every
    /// mutation falls back to copies of the prompt, so it runs as replacement-only search (its trace says so) and its
    /// cost includes the wasted mutation tokens; use <c>"darwin m=8 keep=2 mutate=0"</c> to skip them.
    /// </summary>
    public static IReadOnlyList<string> DefaultSweepSpecs { get; } = new[]
    {
        "greedy", "sample", "best-of-4", "best-of-16", "args w=0.5", "args w=1", "args w=1.5", "args w=2", "darwin m=8 keep=2",
    };

    /// <summary>The names and keys the parser accepts: a line per strategy with its keys and defaults, then a line per key.</summary>
    public static string Syntax => StrategyRegistry.Default.Syntax;

    /// <summary>The <see cref="DefaultSweepSpecs"/> parsed (fresh strategy objects each call).</summary>
    public static IReadOnlyList<ComparisonSetting> DefaultSweep() => ParseAll(DefaultSweepSpecs);

    /// <summary>Parses every spec, in order.</summary>
    public static IReadOnlyList<ComparisonSetting> ParseAll(IEnumerable<string> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return specs.Select(s => Parse(s)).ToArray();
    }

    /// <summary>
    /// Parses one spec; <paramref name="options"/> become the setting's generation options (null = the comparison's).
    /// Throws <see cref="ArgumentException"/> naming the spec, the key and the allowed names, keys or values.
    /// </summary>
    public static ComparisonSetting Parse(string spec, GenerationOptions? options = null)
        => new(StrategyRegistry.Default.Parse(spec), options);
}
