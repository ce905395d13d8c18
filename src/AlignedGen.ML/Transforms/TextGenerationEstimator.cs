using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>Estimator of <c>GenerateText</c>, <c>ApplyRewardGuidedDecoding</c> and <c>ApplyDarwinDecoding</c>: <see cref="Fit"/> checks the input, fingerprints and loads the models.</summary>
public sealed class TextGenerationEstimator : IEstimator<TextGenerationTransformer>
{
    internal TextGenerationEstimator(string outputColumnName, string inputColumnName, DecodingTransformOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _ = GenerationMapper.OutputColumnsFor(outputColumnName, options, options.RewardReference is not null); // duplicate names fail now
    }

    /// <summary>The response column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column.</summary>
    public string InputColumnName { get; }

    /// <summary>The options.</summary>
    public DecodingTransformOptions Options { get; }

    /// <summary>Checks the input schema, fingerprints the model folders, loads the models and returns the transformer.</summary>
    public TextGenerationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = Create();
        transformer.GetOutputSchema(input.Schema);
        transformer.EnsureLoaded();
        return transformer;
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumns.Check(inputSchema, GenerationMapper.InputColumnsFor(InputColumnName, Options), Options.TransformName);
        return OutputColumn.Append(inputSchema, GenerationMapper.OutputColumnsFor(OutputColumnName, Options, Options.RewardReference is not null));
    }

    private TextGenerationTransformer Create()
    {
        var folders = Options.RewardReference?.Folders ?? Enumerable.Empty<string>();
        var fingerprints = FolderFingerprints.Compute(folders.Prepend(Options.ModelFolder));
        return new TextGenerationTransformer(OutputColumnName, InputColumnName, Options, fingerprints);
    }
}
