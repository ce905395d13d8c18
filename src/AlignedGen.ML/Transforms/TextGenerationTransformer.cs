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
public sealed class TextGenerationTransformer : BatchMappedTransformer
{
    internal TextGenerationTransformer(string outputColumnName, string inputColumnName, DecodingTransformOptions options,
        string modelFingerprint, string? rewardFingerprint)
        : base(TextGenerationEstimator.NameOf(options ?? throw new ArgumentNullException(nameof(options))), "decodes prompts",
            () => LoadedModels.Open(options.ModelFolder, options.Execution, RewardOf(options)))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ModelFingerprint = modelFingerprint;
        RewardFingerprint = rewardFingerprint;
        Reward = RewardOf(options);
        Mapper = new GenerationMapper(outputColumnName, inputColumnName, options, hasReward: Reward is not null,
            scoreAfter: options is GenerateTextOptions { Reward: not null }, Models<LoadedModels>, CreateStrategy);
    }

    private static RewardSpec? RewardOf(DecodingTransformOptions options) => options switch
    {
        GenerateTextOptions g => g.Reward,
        RewardGuidedDecodingOptions r => r.Reward,
        DarwinDecodingOptions d => d.Reward,
        _ => throw new ArgumentException($"Unknown options type {options.GetType().Name}.", nameof(options)),
    };

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

    /// <summary>Saves the options, column names and model folders (paths and fingerprints) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);

    private IDecodingStrategy CreateStrategy() => Options switch
    {
        GenerateTextOptions g => new SamplingStrategy(g.Sampling),
        RewardGuidedDecodingOptions { Args: { } args } => new ArgsStrategy(args),
        RewardGuidedDecodingOptions r => new BestOfNStrategy(r.BestOfN!),
        DarwinDecodingOptions d => new DarwinStrategy(d.Darwin),
        _ => throw new InvalidOperationException("Unknown options type."),
    };
}
