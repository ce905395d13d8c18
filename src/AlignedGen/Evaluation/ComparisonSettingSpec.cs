using System.Globalization;
using AlignedGen.Decoding;

namespace AlignedGen.Evaluation;

/// <summary>
/// Parses one-line setting specs — a strategy name and <c>key=value</c> pairs, e.g. <c>"args w=1.5 k=10"</c> — into
/// <see cref="ComparisonSetting"/>s; shared by the CLI, the cmdlets and ML.NET. The label is the name plus the family's
/// main parameter and every other given parameter that differs from its default (<c>"args w=1.5"</c>); the family
/// groups a sweep (<c>"args-greedy"</c>); the parameters hold every numeric setting of the family, defaults included.
/// See <see cref="Syntax"/> for names and keys.
/// </summary>
public static class ComparisonSettingSpec
{
    private static readonly SpecFamily[] Families =
    {
        new("greedy", "greedy", Array.Empty<SpecKey>(), _ => SamplingStrategy.Greedy),
        new("sample", "sample", new[] { Temperature(primary: true), SamplingTopK, TopP },
            p => new SamplingStrategy(new SamplingOptions(p["t"], (int)p["top-k"], p["top-p"]))),
        new("best-of-n", "best-of-n", new[] { new SpecKey("n", AlignedGenDefaults.BestOfN, true, true, "samples per prompt"), Temperature(), SamplingTopK, TopP },
            p => new BestOfNStrategy(new BestOfNOptions((int)p["n"], new SamplingOptions(p["t"], (int)p["top-k"], p["top-p"])))),
        new("args", "args-greedy", new[] { Weight, CandidateCount },
            p => new ArgsStrategy(new ArgsOptions((int)p["k"], p["w"]))),
        new("args-stochastic", "args-stochastic", new[] { Weight, CandidateCount, Temperature() },
            p => new ArgsStrategy(new ArgsOptions((int)p["k"], p["w"], stochastic: true, temperature: p["t"]))),
        new("darwin", "darwin", new[]
            {
                new SpecKey("m", AlignedGenDefaults.DarwinReplacementPeriod, true, false, "tokens between reward-guided replacements"),
                new SpecKey("keep", AlignedGenDefaults.DarwinKeep, true, false, "states kept at each replacement"),
                new SpecKey("iterations", AlignedGenDefaults.DarwinIterations, true, false, "mutation + replacement iterations"),
                new SpecKey("mutations", AlignedGenDefaults.DarwinBeams, true, false, "mutated instructions (beams) per mutation, M"),
                new SpecKey("rounds", AlignedGenDefaults.DarwinMutationRounds, true, false, "mutation calls per iteration"),
                new SpecKey("mutate", 1, true, false, "1 = the LM rewrites the instruction, 0 = replacement-only search"),
                new SpecKey("mutation-tokens", AlignedGenDefaults.DarwinMutationMaxNewTokens, true, false, "most tokens of one mutation"),
                Temperature(), new SpecKey("top-k", AlignedGenDefaults.DarwinTopK, true, false, "sampling top-k (0 = off)"),
            },
            p => new DarwinStrategy(new DarwinOptions(mutations: (int)p["mutations"], replacementPeriod: (int)p["m"], keep: (int)p["keep"],
                iterations: (int)p["iterations"], mutationRounds: (int)p["rounds"], sampling: new SamplingOptions(p["t"], (int)p["top-k"]),
                mutationMaxNewTokens: (int)p["mutation-tokens"], mutate: Flag(p, "mutate")))),
        new("cards", "cards", new[]
            {
                new SpecKey("r", double.NaN, false, true, "final reward threshold r* in the guide's units (NaN = reward(prompt) + gain)"),
                new SpecKey("gain", AlignedGenDefaults.CardsRewardGain, false, false, "r* − reward(prompt) when r is not given"),
                new SpecKey("entropy", AlignedGenDefaults.CardsEntropyThreshold, false, false, "entropy (nats) that ends a segment"),
                new SpecKey("alpha", AlignedGenDefaults.CardsAlpha, false, false, "weight of r* in the starting threshold"),
                new SpecKey("beta", AlignedGenDefaults.CardsBeta, false, false, "sampling and acceptance temperature"),
                new SpecKey("top-k", AlignedGenDefaults.CardsTopK, true, false, "sampling top-k (0 = off)"),
                new SpecKey("min-segment", AlignedGenDefaults.CardsMinSegmentLength, true, false, "tokens before the entropy test may end a segment"),
                new SpecKey("max-segment", AlignedGenDefaults.CardsMaxSegmentLength, true, false, "most tokens per segment"),
                new SpecKey("retries", AlignedGenDefaults.CardsMaxRetries, true, false, "rejections before the best candidate is taken"),
                new SpecKey("hard", 0, true, false, "1 = accept when reward >= threshold, 0 = soft acceptance"),
            },
            p => new CardsStrategy(new CardsOptions(double.IsNaN(p["r"]) ? null : p["r"], p["gain"], p["entropy"], p["alpha"], p["beta"], (int)p["top-k"],
                (int)p["min-segment"], (int)p["max-segment"], (int)p["retries"], Flag(p, "hard") ? CardsAcceptance.Hard : CardsAcceptance.Soft))),
        new("spec-rejection", "spec-rejection", new[]
            {
                new SpecKey("n", AlignedGenDefaults.SpeculativeRejectionSamples, true, true, "samples started per prompt"),
                new SpecKey("alpha", AlignedGenDefaults.SpeculativeRejectionAlpha, false, true, "share of the pool stopped at each decision point"),
                new SpecKey("first", AlignedGenDefaults.SpeculativeRejectionFirstDecision, true, false, "response length of the first decision point"),
                new SpecKey("t", AlignedGenDefaults.SpeculativeRejectionTemperature, false, false, "sampling temperature"),
                new SpecKey("top-k", AlignedGenDefaults.SpeculativeRejectionTopK, true, false, "sampling top-k (0 = off)"),
            },
            p => new SpeculativeRejectionStrategy(new SpeculativeRejectionOptions((int)p["n"], p["alpha"], (int)p["first"], sampling: new SamplingOptions(p["t"], (int)p["top-k"])))),
    };

    private static SpecKey Weight => new("w", AlignedGenDefaults.ArgsWeight, false, true, "reward weight");
    private static SpecKey CandidateCount => new("k", AlignedGenDefaults.ArgsTopK, true, false, "candidates per step");
    private static SpecKey SamplingTopK => new("top-k", AlignedGenDefaults.SamplingTopK, true, false, "sampling top-k (0 = off)");
    private static SpecKey TopP => new("top-p", AlignedGenDefaults.TopP, false, false, "nucleus top-p (1 = off)");
    private static SpecKey Temperature(bool primary = false) => new("t", AlignedGenDefaults.Temperature, false, primary, "sampling temperature");

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

    /// <summary>The names and keys the parser accepts: a line per family with its keys and defaults, then a line per key.</summary>
    public static string Syntax => string.Join(Environment.NewLine, Families.SelectMany(f => new[]
        {
            (f.Name == "best-of-n" ? "best-of-n | best-of-N" : f.Name == "args" ? "args | args-greedy" : f.Name)
                + string.Concat(f.Keys.Select(k => $" [{k.Name}={Format(k.Default)}]")),
        }.Concat(f.Keys.Select(k => $"    {k.Name}: {k.Meaning}"))));

    /// <summary>The <see cref="DefaultSweepSpecs"/> parsed (fresh strategy objects each call).</summary>
    public static IReadOnlyList<ComparisonSetting> DefaultSweep() => DefaultSweepSpecs.Select(s => Parse(s)).ToArray();

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
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException($"A setting spec is empty. Start it with a strategy name: {NameList}.", nameof(spec));
        var parts = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var name = parts[0].ToLowerInvariant();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (name == "args-greedy") name = "args";
        if (name.StartsWith("best-of-", StringComparison.Ordinal) && name != "best-of-n")
        {
            values["n"] = ParseValue(spec, "n", name["best-of-".Length..], integer: true);
            name = "best-of-n";
        }
        var family = Families.FirstOrDefault(f => f.Name == name)
            ?? throw new ArgumentException($"Setting '{spec}': unknown strategy '{parts[0]}'. Use one of: {NameList}.", nameof(spec));
        var given = new List<string>();
        foreach (var part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1)
                throw new ArgumentException($"Setting '{spec}': '{part}' is not key=value. Keys of {family.Name}: {KeyList(family)}.", nameof(spec));
            var key = part[..eq].ToLowerInvariant();
            var definition = family.Keys.FirstOrDefault(k => k.Name == key)
                ?? throw new ArgumentException($"Setting '{spec}': unknown key '{key}' for {family.Name}. Keys of {family.Name}: {KeyList(family)}.", nameof(spec));
            if (values.ContainsKey(key))
                throw new ArgumentException($"Setting '{spec}': key '{key}' is given twice. Give each key once.", nameof(spec));
            values[key] = ParseValue(spec, key, part[(eq + 1)..], definition.Integer);
            given.Add(key);
        }
        foreach (var key in family.Keys)
            values.TryAdd(key.Name, key.Default);
        IDecodingStrategy strategy;
        try
        {
            strategy = family.Create(values);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Setting '{spec}': {e.Message}", nameof(spec), e);
        }
        return new ComparisonSetting(strategy, Label(family, values, given), family.FamilyName, values, options);
    }

    private static string Label(SpecFamily family, Dictionary<string, double> values, List<string> given)
    {
        var label = family.Name == "best-of-n" ? $"best-of-{Format(values["n"])}" : family.Name;
        foreach (var key in family.Keys)
        {
            if (family.Name == "best-of-n" && key.Name == "n") continue;
            bool show = (key.Primary && !double.IsNaN(values[key.Name])) || (given.Contains(key.Name) && !values[key.Name].Equals(key.Default));
            if (show) label += $" {key.Name}={Format(values[key.Name])}";
        }
        return label;
    }

    private static double ParseValue(string spec, string key, string text, bool integer)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            if (integer && bool.TryParse(text, out var flag)) return flag ? 1 : 0;
            throw new ArgumentException($"Setting '{spec}': key '{key}' must be a {(integer ? "whole number" : "number")}, got '{text}'.", nameof(spec));
        }
        if (integer && (value != Math.Floor(value) || Math.Abs(value) > int.MaxValue))
            throw new ArgumentException($"Setting '{spec}': key '{key}' must be a whole number, got '{text}'.", nameof(spec));
        return value;
    }

    private static bool Flag(Dictionary<string, double> values, string key) => values[key] switch
    {
        0 => false,
        1 => true,
        var v => throw new ArgumentOutOfRangeException(key, v, $"Key '{key}' must be 0 or 1 (or false / true), got {Format(v)}."),
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string NameList => "greedy, sample, best-of-n (or best-of-N, e.g. best-of-16), args (args-greedy), args-stochastic, darwin, cards, spec-rejection";

    private static string KeyList(SpecFamily family)
        => family.Keys.Length == 0 ? "none" : string.Join(", ", family.Keys.Select(k => $"{k.Name} ({k.Meaning}, default {Format(k.Default)})"));

    private sealed record SpecKey(string Name, double Default, bool Integer, bool Primary, string Meaning);

    private sealed record SpecFamily(string Name, string FamilyName, SpecKey[] Keys, Func<Dictionary<string, double>, IDecodingStrategy> Create);
}
