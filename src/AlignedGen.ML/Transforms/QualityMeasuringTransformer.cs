using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// The fitted transform of <c>MeasureAlignmentQuality</c>: adds quality-metric columns (held-out and guiding reward,
/// diversity, coherence, fluency, length) measured from a prompt and a response column by the core
/// <see cref="AlignedGen.Evaluation.QualityEvaluator"/>. Lazy; one evaluation batch per <see cref="MeasureQualityOptions.BatchSize"/>
/// rows; the models are loaded once and shared by every cursor.
/// </summary>
public sealed class QualityMeasuringTransformer : BatchMappedTransformer
{
    /// <summary>The transform's name in errors and saved files.</summary>
    public const string TransformName = "MeasureAlignmentQuality";

    private readonly QualityMeasuringMapper _mapper;
    private readonly FolderFingerprints _fingerprints;

    internal QualityMeasuringTransformer(string promptColumnName, string responseColumnName, MeasureQualityOptions options, FolderFingerprints fingerprints)
        : base(TransformName, "measures rows", () => QualityModels.Open(options ?? throw new ArgumentNullException(nameof(options))))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _fingerprints = fingerprints ?? throw new ArgumentNullException(nameof(fingerprints));
        Mapper = _mapper = new QualityMeasuringMapper(promptColumnName, responseColumnName, options, Models<QualityModels>);
    }

    /// <summary>The prompt column (text).</summary>
    public string PromptColumnName { get; }

    /// <summary>The response column (text).</summary>
    public string ResponseColumnName { get; }

    /// <summary>The options.</summary>
    public MeasureQualityOptions Options { get; }

    /// <summary>Names of the metric columns this transformer adds, in schema order.</summary>
    public IReadOnlyList<string> OutputColumnNames => _mapper.OutputColumns.Select(c => c.Name).ToArray();

    /// <summary>Fingerprint of the fluency model folder, when one is configured.</summary>
    public string? FluencyModelFingerprint => _fingerprints.Of(Options.FluencyModelFolder);

    /// <summary>Fingerprint of the guiding reward-model folder, when the guiding reward is one.</summary>
    public string? GuidingRewardFingerprint => _fingerprints.OfFirst(Options.GuidingReward?.Folders);

    /// <summary>Fingerprint of the held-out reward-model folder, when the held-out reward is one.</summary>
    public string? HeldOutRewardFingerprint => _fingerprints.OfFirst(Options.HeldOutReward?.Folders);

    /// <summary>Fingerprint of the sentence-embedding folder, when the embedder is one.</summary>
    public string? EmbedderFingerprint => _fingerprints.Of(Options.Embedder?.Folder);

    internal FolderFingerprints Fingerprints => _fingerprints;

    /// <summary>Saves the options, column names and every source (folder paths and fingerprints, proxy and embedder options) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);
}
