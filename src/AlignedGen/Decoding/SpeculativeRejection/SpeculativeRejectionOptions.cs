namespace AlignedGen.Decoding;

/// <summary>
/// Speculative Rejection settings (Sun et al., NeurIPS 2024). Validated on creation; defaults from
/// <see cref="AlignedGenDefaults"/>: 16 samples, rejection rate α = 0.5, the first decision after 8 tokens, sampling at
/// T = 1.0 with top-k 50 (the authors' runs).
/// </summary>
public sealed record SpeculativeRejectionOptions
{
    public SpeculativeRejectionOptions(
        int samples = AlignedGenDefaults.SpeculativeRejectionSamples,
        double alpha = AlignedGenDefaults.SpeculativeRejectionAlpha,
        int firstDecision = AlignedGenDefaults.SpeculativeRejectionFirstDecision,
        IReadOnlyList<int>? decisionPoints = null,
        SamplingOptions? sampling = null)
    {
        if (samples < 1)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"Speculative Rejection needs at least 1 sample per prompt (N), got {samples}. Use e.g. {AlignedGenDefaults.SpeculativeRejectionSamples}.");
        if (!double.IsFinite(alpha) || alpha <= 0 || alpha >= 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"The rejection rate α must be between 0 and 1 (exclusive), got {alpha}. The authors sweep 0.1–0.9 and use 0.5.");
        if (firstDecision < 1)
            throw new ArgumentOutOfRangeException(nameof(firstDecision), firstDecision, $"The first decision point must come after at least 1 token, got {firstDecision}. Use e.g. {AlignedGenDefaults.SpeculativeRejectionFirstDecision}.");
        int[]? points = null;
        if (decisionPoints is not null)
        {
            points = decisionPoints.ToArray();
            if (points.Length == 0)
                throw new ArgumentException("The decision points list is empty. Give token counts in increasing order (e.g. 8, 16, 32), or null for the schedule from firstDecision and α.", nameof(decisionPoints));
            for (int i = 0; i < points.Length; i++)
                if (points[i] < 1 || (i > 0 && points[i] <= points[i - 1]))
                    throw new ArgumentException($"Decision point {i} is {points[i]} in [{string.Join(", ", points)}]; decision points are token counts of at least 1. Give them in strictly increasing order, e.g. 8, 16, 32.", nameof(decisionPoints));
        }
        sampling ??= new SamplingOptions(AlignedGenDefaults.SpeculativeRejectionTemperature, AlignedGenDefaults.SpeculativeRejectionTopK);
        if (sampling.Temperature == 0 && samples > 1)
            throw new ArgumentOutOfRangeException(nameof(sampling), sampling.Temperature, "Speculative Rejection with temperature 0 would start N identical greedy samples. Use a temperature above 0 (the authors use 1.0).");
        Samples = samples;
        Alpha = alpha;
        FirstDecision = firstDecision;
        DecisionPoints = points;
        Sampling = sampling;
    }

    /// <summary>Samples started per prompt (N; the authors fit as many as GPU memory holds).</summary>
    public int Samples { get; }
    /// <summary>Rejection rate α: at each decision point the lowest-scoring α of the pool stops.</summary>
    public double Alpha { get; }
    /// <summary>Response length (tokens) of the first decision point when <see cref="DecisionPoints"/> is null.</summary>
    public int FirstDecision { get; }
    /// <summary>Explicit decision points (response lengths in tokens, increasing); null = <see cref="Schedule"/>.</summary>
    public IReadOnlyList<int>? DecisionPoints { get; }
    /// <summary>How each sample draws its tokens.</summary>
    public SamplingOptions Sampling { get; }

    /// <summary>
    /// The decision points up to <paramref name="maxNewTokens"/>: <see cref="DecisionPoints"/> when given, else
    /// d₁ = <see cref="FirstDecision"/> and d₍ₖ₊₁₎ = ⌈dₖ / (1 − α)⌉ — the authors' memory-bound rounds in token counts
    /// (the batch shrinks by 1 − α per round, so the same memory holds 1 / (1 − α) times the length).
    /// </summary>
    public IReadOnlyList<int> Schedule(int maxNewTokens)
    {
        if (DecisionPoints is not null) return DecisionPoints.Where(d => d < maxNewTokens).ToArray();
        var points = new List<int>();
        for (double d = FirstDecision; d < maxNewTokens; d = Math.Max(Math.Ceiling(d / (1 - Alpha)), d + 1))
            points.Add((int)d);
        return points;
    }

    /// <summary>
    /// How many of a pool of <paramref name="pool"/> stay: round((1 − α)·pool) as the authors' Python rounds (half to
    /// even), but at least 1, so the last sample runs to the end instead of returning a partial response.
    /// </summary>
    public int KeepCount(int pool) => Math.Max(1, (int)Math.Round((1 - Alpha) * pool, MidpointRounding.ToEven));

    /// <summary>The defaults.</summary>
    public static SpeculativeRejectionOptions Default { get; } = new();

    /// <summary>
    /// "speculative-rejection" (alias "spec-rejection"; -Strategy SpeculativeRejection): N samples, the lowest-scoring α
    /// of the pool stopped at each decision point, the best finished one kept.
    /// </summary>
    public static StrategyDescriptor<SpeculativeRejectionOptions> Descriptor { get; } = new(
        "speculative-rejection", "Speculative Rejection: N samples, the lowest-scoring α stopped at each decision point, the best finished one kept; needs a reward",
        new[]
        {
            StrategyParameter.Integer<SpeculativeRejectionOptions>("n", "N", AlignedGenDefaults.SpeculativeRejectionSamples, "samples started per prompt", o => o.Samples, primary: true),
            StrategyParameter.Number<SpeculativeRejectionOptions>("alpha", "Alpha", AlignedGenDefaults.SpeculativeRejectionAlpha, "share of the pool stopped at each decision point", o => o.Alpha, primary: true),
            StrategyParameter.Integer<SpeculativeRejectionOptions>("first", "FirstDecision", AlignedGenDefaults.SpeculativeRejectionFirstDecision, "response length (tokens) of the first decision point", o => o.FirstDecision),
            StrategyParameter.Text<SpeculativeRejectionOptions>("points", "DecisionPoints", null, "decision points as increasing token counts, e.g. \"8,16,32\" (default: from first and alpha)",
                o => o.DecisionPoints is null ? null : string.Join(",", o.DecisionPoints)),
            StrategyParameter.Number<SpeculativeRejectionOptions>("t", "Temperature", AlignedGenDefaults.SpeculativeRejectionTemperature, "sampling temperature", o => o.Sampling.Temperature),
            SamplingOptions.TopKParameter<SpeculativeRejectionOptions>(o => o.Sampling.TopK, AlignedGenDefaults.SpeculativeRejectionTopK),
            SamplingOptions.TopPParameter<SpeculativeRejectionOptions>(o => o.Sampling.TopP),
        },
        a => new SpeculativeRejectionOptions(a.Integer("n"), a.Number("alpha"), a.Integer("first"), ParsePoints(a.Text("points")), SamplingOptions.FromArguments(a)),
        o => new SpeculativeRejectionStrategy(o), aliases: new[] { "spec-rejection" });

    /// <summary>Value equality that compares decision points element by element (a record would compare the list references).</summary>
    public bool Equals(SpeculativeRejectionOptions? other)
        => other is not null && Samples == other.Samples && Alpha.Equals(other.Alpha) && FirstDecision == other.FirstDecision
            && Sampling.Equals(other.Sampling)
            && (DecisionPoints is null ? other.DecisionPoints is null : other.DecisionPoints is not null && DecisionPoints.SequenceEqual(other.DecisionPoints));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Samples, Alpha, FirstDecision, Sampling, DecisionPoints?.Count);

    /// <summary>"8,16,32" (commas or spaces) → [8, 16, 32]; null or blank → null (the schedule from first and α).</summary>
    private static int[]? ParsePoints(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = text.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries);
        return words.Select(w => int.TryParse(w, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d
            : throw new ArgumentException($"The decision points \"{text}\" must be whole token counts separated by commas, e.g. \"8,16,32\"; '{w}' is not one.", "decisionPoints")).ToArray();
    }
}
