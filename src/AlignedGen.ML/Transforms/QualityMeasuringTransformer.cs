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
public sealed class QualityMeasuringTransformer : ITransformer, IDisposable
{
    /// <summary>The transform's name in errors and saved files.</summary>
    public const string TransformName = "MeasureAlignmentQuality";

    private readonly Lazy<QualityModels> _models;
    private readonly QualityMeasuringMapper _mapper;
    private readonly QualityFingerprints _fingerprints;

    internal QualityMeasuringTransformer(string promptColumnName, string responseColumnName, MeasureQualityOptions options, QualityFingerprints fingerprints)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _fingerprints = fingerprints ?? throw new ArgumentNullException(nameof(fingerprints));
        _models = new Lazy<QualityModels>(() => QualityModels.Open(Options), LazyThreadSafetyMode.ExecutionAndPublication);
        _mapper = new QualityMeasuringMapper(promptColumnName, responseColumnName, options, () => _models.Value);
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
    public string? FluencyModelFingerprint => _fingerprints.FluencyModel;

    /// <summary>Fingerprint of the guiding reward-model folder, when the guiding reward is one.</summary>
    public string? GuidingRewardFingerprint => _fingerprints.GuidingReward;

    /// <summary>Fingerprint of the held-out reward-model folder, when the held-out reward is one.</summary>
    public string? HeldOutRewardFingerprint => _fingerprints.HeldOutReward;

    /// <summary>Fingerprint of the sentence-embedding folder, when the embedder is one.</summary>
    public string? EmbedderFingerprint => _fingerprints.Embedder;

    internal QualityFingerprints Fingerprints => _fingerprints;

    /// <summary>Always false: rows are measured in batches.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Loads the models now (they otherwise load on the first cursor that reads a metric column).</summary>
    public void EnsureLoaded() => _ = _models.Value;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        InputColumns.Check(inputSchema, _mapper.InputColumnNames, TransformName);
        return OutputColumn.Append(inputSchema, _mapper.OutputColumns);
    }

    /// <summary>Not supported: rows are measured in batches (use <see cref="Transform"/>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException($"{TransformName} measures rows in batches and has no row-to-row mapper; call Transform on an IDataView instead.");

    /// <summary>Lazily adds the metric columns to <paramref name="input"/>.</summary>
    public IDataView Transform(IDataView input) => new BatchMappedDataView(input, _mapper, TransformName);

    /// <summary>Saves the options, column names and every source (folder paths and fingerprints, proxy and embedder options) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);

    /// <summary>Not supported: ML.NET's model format cannot hold transformers defined outside ML.NET.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException($"mlContext.Model.Save cannot store {TransformName} (ML.NET only loads its own transformer types). Save it with transformer.Save(path) and load it with AlignedGenTransformerFile.Load(path); see docs/mlnet.md.");

    /// <summary>Disposes the loaded models.</summary>
    public void Dispose()
    {
        if (_models.IsValueCreated) _models.Value.Dispose();
    }
}
