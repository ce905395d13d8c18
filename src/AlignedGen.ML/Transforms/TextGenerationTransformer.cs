using AlignedGen.Decoding;
using AlignedGen.Rewards;
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
    private readonly FolderFingerprints _fingerprints;

    internal TextGenerationTransformer(string outputColumnName, string inputColumnName, DecodingTransformOptions options, FolderFingerprints fingerprints)
        : base((options ?? throw new ArgumentNullException(nameof(options))).TransformName, "decodes prompts",
            () => LoadedModels.Open(options.ModelFolder, options.Execution, options.RewardReference))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options;
        _fingerprints = fingerprints ?? throw new ArgumentNullException(nameof(fingerprints));
        Mapper = new GenerationMapper(outputColumnName, inputColumnName, options, Models<LoadedModels>);
    }

    /// <summary>The response column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column (text).</summary>
    public string InputColumnName { get; }

    /// <summary>The options: <see cref="GenerateTextOptions"/>, <see cref="RewardGuidedDecodingOptions"/> or <see cref="DarwinDecodingOptions"/>.</summary>
    public DecodingTransformOptions Options { get; }

    /// <summary>The reward, or null for plain generation without scoring.</summary>
    public RewardReference? Reward => Options.RewardReference;

    /// <summary>Fingerprint of the LM folder's files when the transformer was made (see <see cref="ModelFolderFingerprint"/>).</summary>
    public string ModelFingerprint => _fingerprints.Of(Options.ModelFolder)!;

    /// <summary>Fingerprint of the reward-model folder (the first one, for a composite), when the reward loads one.</summary>
    public string? RewardFingerprint => _fingerprints.OfFirst(Reward?.Folders);

    /// <summary>The name used in errors: GenerateText, ApplyRewardGuidedDecoding or ApplyDarwinDecoding.</summary>
    public string TransformName => Options.TransformName;

    internal FolderFingerprints Fingerprints => _fingerprints;

    /// <summary>Saves the options, column names and model folders (paths and fingerprints) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);
}
