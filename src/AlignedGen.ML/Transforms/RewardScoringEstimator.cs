using AlignedGen.ML.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>Estimator of <c>ScoreReward</c>: <see cref="Fit"/> checks the input, fingerprints and loads the reward.</summary>
public sealed class RewardScoringEstimator : IEstimator<RewardScoringTransformer>
{
    internal RewardScoringEstimator(string outputColumnName, string promptColumnName, string responseColumnName, ScoreRewardOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        OutputColumnName = outputColumnName;
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The reward column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column.</summary>
    public string PromptColumnName { get; }

    /// <summary>The response column.</summary>
    public string ResponseColumnName { get; }

    /// <summary>The options.</summary>
    public ScoreRewardOptions Options { get; }

    /// <summary>Checks the input schema, fingerprints and loads the reward, returns the transformer.</summary>
    public RewardScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fingerprints = FolderFingerprints.Compute(Options.Reward.Folders);
        var transformer = new RewardScoringTransformer(OutputColumnName, PromptColumnName, ResponseColumnName, Options, fingerprints);
        transformer.GetOutputSchema(input.Schema);
        transformer.EnsureLoaded();
        return transformer;
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumns.Check(inputSchema, new[] { PromptColumnName, ResponseColumnName, Options.ReferenceColumnName }, "ScoreReward");
        return OutputColumn.Append(inputSchema, new[] { new OutputColumn(OutputColumnName, NumberDataViewType.Single) });
    }
}
