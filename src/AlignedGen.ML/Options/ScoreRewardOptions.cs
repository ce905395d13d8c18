using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>Options of <c>ScoreReward</c>: the reward, rows per reward call, an optional reference column. Validated when set.</summary>
public sealed class ScoreRewardOptions
{
    private readonly int _batchSize = AlignedGenDefaults.BatchSize;
    private readonly string? _referenceColumnName;

    /// <summary>Scores (prompt, response) rows with <paramref name="reward"/>.</summary>
    public ScoreRewardOptions(RewardReference reward)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward), "Pass RewardReference.FromFolder, RewardReference.Proxy, RewardReference.Composite or RewardReference.FromSource.");
    }

    /// <summary>The reward.</summary>
    public RewardReference Reward { get; }

    /// <summary>Rows scored per reward call.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"Batch size must be at least 1, got {value}.");
    }

    /// <summary>Optional text column with a reference answer per row.</summary>
    public string? ReferenceColumnName { get => _referenceColumnName; init => _referenceColumnName = DecodingTransformOptions.ColumnName(value, nameof(ReferenceColumnName)); }

    /// <summary>Cancels scoring in every cursor (not saved).</summary>
    public CancellationToken Cancellation { get; init; }
}
