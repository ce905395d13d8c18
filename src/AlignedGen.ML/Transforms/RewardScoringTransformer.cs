using AlignedGen.ML.DataViews;
using AlignedGen.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// The fitted transform of <c>ScoreReward</c>: adds a Single reward column scored from a prompt and a response column
/// (for relabeling). Lazy; one reward call per <see cref="ScoreRewardOptions.BatchSize"/> rows; the reward is loaded once.
/// </summary>
public sealed class RewardScoringTransformer : BatchMappedTransformer
{
    internal RewardScoringTransformer(string outputColumnName, string promptColumnName, string responseColumnName, ScoreRewardOptions options, FolderFingerprints fingerprints)
        : base("ScoreReward", "scores rows", () => LoadedModels.Open(null, null, options.Reward))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(responseColumnName);
        OutputColumnName = outputColumnName;
        PromptColumnName = promptColumnName;
        ResponseColumnName = responseColumnName;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Fingerprints = fingerprints ?? throw new ArgumentNullException(nameof(fingerprints));
        Mapper = new RewardScoringMapper(outputColumnName, promptColumnName, responseColumnName, options, Models<LoadedModels>);
    }

    /// <summary>The reward column (Single).</summary>
    public string OutputColumnName { get; }

    /// <summary>The prompt column (text).</summary>
    public string PromptColumnName { get; }

    /// <summary>The response column (text).</summary>
    public string ResponseColumnName { get; }

    /// <summary>The options.</summary>
    public ScoreRewardOptions Options { get; }

    /// <summary>Fingerprint of the reward-model folder (the first one, for a composite), when the reward loads one.</summary>
    public string? RewardFingerprint => Fingerprints.OfFirst(Options.Reward.Folders);

    internal FolderFingerprints Fingerprints { get; }

    /// <summary>Saves the options, column names and reward (folder path and fingerprint, or proxy options) to a zip file.</summary>
    public void Save(string path) => AlignedGenTransformerFile.Save(this, path);
}
