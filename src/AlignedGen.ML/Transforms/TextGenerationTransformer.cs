using AlignedGen.Decoding;
using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// The fitted transform of <c>GenerateText</c>, <c>ApplyRewardGuidedDecoding</c> and <c>ApplyDarwinDecoding</c>: adds a response column (and reward,
/// token count, finish reason and cost columns as configured) decoded from a prompt column. <see cref="Transform"/> is
/// lazy; cursors decode in batches of <see cref="GenerationOptions.BatchSize"/> with the models loaded once per transformer.
/// Save with <see cref="Save(string)"/> and load with <see cref="AlignedGenTransformerFile.Load"/> (mlContext.Model.Save cannot store it).
/// </summary>
public sealed class TextGenerationTransformer : ITransformer, IDisposable
{
    private readonly Lazy<LoadedModels> _models;
    private readonly GenerationMapper _mapper;

    internal TextGenerationTransformer(string outputColumnName, string inputColumnName, DecodingTransformOptions options,
        string modelFingerprint, string? rewardFingerprint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ModelFingerprint = modelFingerprint;
        RewardFingerprint = rewardFingerprint;
        Reward = options switch
        {
            GenerateTextOptions g => g.Reward,
            RewardGuidedDecodingOptions r => r.Reward,
            DarwinDecodingOptions d => d.Reward,
            _ => throw new ArgumentException($"Unknown options type {options.GetType().Name}.", nameof(options)),
        };
        _models = new Lazy<LoadedModels>(() => LoadedModels.Open(Options.ModelFolder, Options.Execution, Reward), LazyThreadSafetyMode.ExecutionAndPublication);
        _mapper = new GenerationMapper(outputColumnName, inputColumnName, options, hasReward: Reward is not null,
            scoreAfter: options is GenerateTextOptions { Reward: not null }, () => _models.Value, CreateStrategy);
    }

    /// <summary>The response column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column (text).</summary>
    public string InputColumnName { get; }

    /// <summary>The options: <see cref="GenerateTextOptions"/>, <see cref="RewardGuidedDecodingOptions"/> or <see cref="DarwinDecodingOptions"/>.</summary>
    public DecodingTransformOptions Options { get; }

    /// <summary>The reward, or null for plain generation without scoring.</summary>
    public RewardSpec? Reward { get; }

    /// <summary>Fingerprint of the LM folder's files when the transformer was made (see <see cref="ModelFolderFingerprint"/>).</summary>
    public string ModelFingerprint { get; }

    /// <summary>Fingerprint of the reward-model folder, when the reward is one.</summary>
    public string? RewardFingerprint { get; }

    /// <summary>The name used in errors: GenerateText, ApplyRewardGuidedDecoding or ApplyDarwinDecoding.</summary>
    public string TransformName => TextGenerationEstimator.NameOf(Options);

    /// <summary>Always false: the transform decodes batches of rows, not one row at a time.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Loads the models now (they otherwise load on the first cursor that reads an output column).</summary>
    public void EnsureLoaded() => _ = _models.Value;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        InputColumns.Check(inputSchema, _mapper.InputColumnNames, TransformName);
        return OutputColumn.Append(inputSchema, _mapper.OutputColumns);
    }

    /// <summary>Not supported: this transform needs batches (use <see cref="Transform"/>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException($"{TransformName} decodes prompts in batches and has no row-to-row mapper (so no PredictionEngine); call Transform on an IDataView instead.");

    /// <summary>Lazily adds the output columns to <paramref name="input"/>; no model runs until a cursor reads them.</summary>
    public IDataView Transform(IDataView input) => new BatchMappedDataView(input, _mapper, TransformName);

    /// <summary>Saves the options, column names and model folders (paths and fingerprints) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);

    /// <summary>Not supported: ML.NET's model format cannot hold transformers defined outside ML.NET.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException($"mlContext.Model.Save cannot store {TransformName} (ML.NET only loads its own transformer types). Save it with transformer.Save(path) and load it with AlignedGenTransformerFile.Load(path); see docs/mlnet.md.");

    /// <summary>Disposes the loaded models (cursors in use fail afterwards).</summary>
    public void Dispose()
    {
        if (_models.IsValueCreated) _models.Value.Dispose();
    }

    private IDecodingStrategy CreateStrategy() => Options switch
    {
        GenerateTextOptions g => new SamplingStrategy(g.Sampling),
        RewardGuidedDecodingOptions { Args: { } args } => new ArgsStrategy(args),
        RewardGuidedDecodingOptions r => new BestOfNStrategy(r.BestOfN!),
        DarwinDecodingOptions d => new DarwinStrategy(d.Darwin),
        _ => throw new InvalidOperationException("Unknown options type."),
    };
}
