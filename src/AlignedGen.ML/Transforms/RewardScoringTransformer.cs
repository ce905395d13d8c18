using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// The fitted transform of <c>ScoreReward</c>: adds a Single reward column scored from a prompt and a response column
/// (for relabeling). Lazy; one reward call per <see cref="ScoreRewardOptions.BatchSize"/> rows; the reward is loaded once.
/// </summary>
public sealed class RewardScoringTransformer : ITransformer, IDisposable
{
    private readonly Lazy<LoadedModels> _models;
    private readonly RewardScoringMapper _mapper;

    internal RewardScoringTransformer(string outputColumnName, string promptColumnName, string responseColumnName, ScoreRewardOptions options, string? rewardFingerprint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        OutputColumnName = outputColumnName;
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        RewardFingerprint = rewardFingerprint;
        _models = new Lazy<LoadedModels>(() => LoadedModels.Open(null, null, Options.Reward), LazyThreadSafetyMode.ExecutionAndPublication);
        _mapper = new RewardScoringMapper(outputColumnName, promptColumnName, responseColumnName, options, () => _models.Value);
    }

    /// <summary>The reward column (Single).</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column (text).</summary>
    public string PromptColumnName { get; }

    /// <summary>The response column (text).</summary>
    public string ResponseColumnName { get; }

    /// <summary>The options.</summary>
    public ScoreRewardOptions Options { get; }

    /// <summary>Fingerprint of the reward-model folder, when the reward is one.</summary>
    public string? RewardFingerprint { get; }

    /// <summary>Always false: rows are scored in batches.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Loads the reward now (it otherwise loads on the first cursor that reads the reward column).</summary>
    public void EnsureLoaded() => _ = _models.Value;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        InputColumns.Check(inputSchema, _mapper.InputColumnNames, "ScoreReward");
        return OutputColumn.Append(inputSchema, _mapper.OutputColumns);
    }

    /// <summary>Not supported: rows are scored in batches (use <see cref="Transform"/>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException("ScoreReward scores rows in batches and has no row-to-row mapper; call Transform on an IDataView instead.");

    /// <summary>Lazily adds the reward column to <paramref name="input"/>.</summary>
    public IDataView Transform(IDataView input) => new BatchMappedDataView(input, _mapper, "ScoreReward");

    /// <summary>Saves the options, column names and reward (folder path and fingerprint, or proxy options) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);

    /// <summary>Not supported: ML.NET's model format cannot hold transformers defined outside ML.NET.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("mlContext.Model.Save cannot store ScoreReward (ML.NET only loads its own transformer types). Save it with transformer.Save(path) and load it with AlignedGenTransformerFile.Load(path); see docs/mlnet.md.");

    /// <summary>Disposes the loaded reward.</summary>
    public void Dispose()
    {
        if (_models.IsValueCreated) _models.Value.Dispose();
    }
}
