using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>Estimator of <c>MeasureAlignmentQuality</c>: <see cref="Fit"/> checks the input, fingerprints the model folders and loads the models.</summary>
public sealed class QualityMeasuringEstimator : IEstimator<QualityMeasuringTransformer>
{
    internal QualityMeasuringEstimator(string promptColumnName, string responseColumnName, MeasureQualityOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options), "Pass new MeasureQualityOptions { ... } naming the rewards, embedder and fluency model to measure with.");
        _ = QualityMeasuringMapper.OutputColumnsFor(options); // duplicate names fail now
    }

    /// <summary>The prompt column.</summary>
    public string PromptColumnName { get; }

    /// <summary>The response column.</summary>
    public string ResponseColumnName { get; }

    /// <summary>The options.</summary>
    public MeasureQualityOptions Options { get; }

    /// <summary>Checks the input schema, fingerprints the model folders, loads the models and returns the transformer.</summary>
    public QualityMeasuringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputColumns.Check(input.Schema, QualityMeasuringMapper.InputColumnsFor(PromptColumnName, ResponseColumnName, Options), QualityMeasuringTransformer.TransformName);
        var transformer = new QualityMeasuringTransformer(PromptColumnName, ResponseColumnName, Options, FolderFingerprints.Compute(Options.Folders));
        try
        {
            transformer.EnsureLoaded();
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
        return transformer;
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumns.Check(inputSchema, QualityMeasuringMapper.InputColumnsFor(PromptColumnName, ResponseColumnName, Options), QualityMeasuringTransformer.TransformName);
        return OutputColumn.Append(inputSchema, QualityMeasuringMapper.OutputColumnsFor(Options));
    }
}
