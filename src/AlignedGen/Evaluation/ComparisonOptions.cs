using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.Evaluation;

/// <summary>
/// What a <see cref="StrategyComparison"/> runs and measures: the settings (unique labels), the baseline, the shared
/// generation options, the guiding and held-out rewards, the embedder, fluency on/off, the tie margin and an optional
/// output folder. Validated on creation and when set.
/// </summary>
public sealed class ComparisonOptions
{
    private readonly string _baseline;
    private readonly GenerationOptions _generation = new(maxNewTokens: AlignedGenDefaults.ComparisonMaxNewTokens);
    private readonly double _tieMargin;
    private readonly string? _outputFolder;
    private readonly OveroptimizationOptions _overoptimization = OveroptimizationOptions.Default;

    /// <summary>Options over <paramref name="settings"/>; the baseline defaults to the first.</summary>
    public ComparisonOptions(IReadOnlyList<ComparisonSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings, nameof(settings));
        if (settings.Count == 0)
            throw new ArgumentException("A comparison needs at least one setting, e.g. ComparisonSettingSpec.DefaultSweep().", nameof(settings));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < settings.Count; i++)
        {
            var setting = settings[i] ?? throw new ArgumentException($"Setting {i} is null.", nameof(settings));
            if (!seen.Add(setting.Label))
                throw new ArgumentException($"Two settings share the label '{setting.Label}'; labels must be unique (they name table rows and files). Give one of them another label.", nameof(settings));
        }
        Settings = settings.ToArray();
        _baseline = Settings[0].Label;
    }

    /// <summary>The settings, in table order.</summary>
    public IReadOnlyList<ComparisonSetting> Settings { get; }

    /// <summary>The label of the setting win/tie/loss is measured against. Default: the first setting.</summary>
    public string Baseline
    {
        get => _baseline;
        init => _baseline = value is not null && Settings.Any(s => s.Label == value) ? value
            : throw new ArgumentException($"Baseline '{value}' is not one of the settings' labels ({string.Join(", ", Settings.Select(s => $"'{s.Label}'"))}).", nameof(Baseline));
    }

    /// <summary>Generation options of every setting without its own (max new tokens default 64). A null seed is drawn once per run and recorded.</summary>
    public GenerationOptions Generation
    {
        get => _generation;
        init => _generation = value ?? throw new ArgumentNullException(nameof(Generation), "Pass GenerationOptions, e.g. new GenerationOptions(maxNewTokens: 64, seed: 1).");
    }

    /// <summary>The reward the strategies are guided by (handed to the generator), also measured on every setting's responses.</summary>
    public IRewardSource? GuidingReward { get; init; }

    /// <summary>A second reward the strategies never see: the honest judge, and what win/tie/loss uses.</summary>
    public IRewardSource? HeldOutReward { get; init; }

    /// <summary>Sentence embedder for coherence; null = coherence not measured.</summary>
    public ISentenceEmbedder? Embedder { get; init; }

    /// <summary>Measure fluency (mean NLL under the generator). Default true.</summary>
    public bool MeasureFluency { get; init; } = true;

    /// <summary>
    /// Thresholds of the per-response over-optimisation check: each response's guiding and held-out rewards and fluency
    /// are compared with the baseline setting's responses (see <see cref="OveroptimizationCheck"/>).
    /// </summary>
    public OveroptimizationOptions Overoptimization
    {
        get => _overoptimization;
        init => _overoptimization = value ?? throw new ArgumentNullException(nameof(Overoptimization), "Pass OveroptimizationOptions, e.g. OveroptimizationOptions.Default.");
    }

    /// <summary>Held-out reward differences within ± this margin are ties. Default 0 (only equal rewards tie).</summary>
    public double TieMargin
    {
        get => _tieMargin;
        init => _tieMargin = double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(TieMargin), value, $"The tie margin must be a finite number of 0 or more, got {value}.");
    }

    /// <summary>Folder for the result files (see <see cref="ComparisonResultFiles"/>): each setting's JSONL is written as soon as it finishes. Null = none.</summary>
    public string? OutputFolder
    {
        get => _outputFolder;
        init => _outputFolder = value is null || !string.IsNullOrWhiteSpace(value) ? value
            : throw new ArgumentException("The output folder is blank; pass a path or null for no files.", nameof(OutputFolder));
    }
}
