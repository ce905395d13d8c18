using AlignedGen.ML.DataViews;
using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>Estimator of <c>GenerateText</c> and <c>ApplyRewardGuidedDecoding</c>: <see cref="Fit"/> checks the input, fingerprints and loads the models.</summary>
public sealed class TextGenerationEstimator : IEstimator<TextGenerationTransformer>
{
    internal TextGenerationEstimator(string outputColumnName, string inputColumnName, DecodingTransformOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        // Column names are validated now (duplicates) by building the transformer's mapper lazily in Fit; check them here too.
        _ = new Transforms.GenerationMapper(outputColumnName, inputColumnName, options, RewardOf(options) is not null, false, () => null!, () => null!);
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
        var mapper = new Transforms.GenerationMapper(OutputColumnName, InputColumnName, Options, RewardOf(Options) is not null, false, () => null!, () => null!);
        InputColumns.Check(inputSchema, mapper.InputColumnNames, Options is GenerateTextOptions ? "GenerateText" : "ApplyRewardGuidedDecoding");
        return OutputColumn.Append(inputSchema, mapper.OutputColumns);
    }

    private TextGenerationTransformer Create()
    {
        var reward = RewardOf(Options);
        var lmHash = ModelFolderFingerprint.Compute(Options.ModelFolder);
        var rmHash = reward is { Kind: RewardSpecKind.ModelFolder } ? ModelFolderFingerprint.Compute(reward.Folder!) : null;
        return new TextGenerationTransformer(OutputColumnName, InputColumnName, Options, lmHash, rmHash);
    }

    internal static RewardSpec? RewardOf(DecodingTransformOptions options) => options switch
    {
        GenerateTextOptions g => g.Reward,
        RewardGuidedDecodingOptions r => r.Reward,
        _ => null,
    };
}
