using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>
/// Options of an ONNX reward model (<see cref="RewardModelLoader"/>, <see cref="SequenceClassificationRewardModel"/>,
/// <see cref="CachedDecoderRewardModel"/>). Values are validated when set.
/// </summary>
public sealed class RewardModelOptions
{
    private readonly string? _name;
    private readonly int _batchSize = AlignedGenDefaults.RewardModelBatchSize;
    private readonly int? _maxLength;

    /// <summary>Options with every default.</summary>
    public static RewardModelOptions Default { get; } = new();

    /// <summary>Source name used in errors and result columns; null = the model folder's (or file's) name.</summary>
    public string? Name
    {
        get => _name;
        init => _name = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException("Name cannot be blank; use null for the folder name.", nameof(Name));
    }

    /// <summary>Most rows per ONNX call (rows are sorted by length and grouped first when <see cref="SortByLength"/>). Default 16.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be at least 1.");
    }

    /// <summary>Maximum tokens per row; null = the model folder's limit (config.json <c>max_length</c> / <c>max_position_embeddings</c>) or no limit.</summary>
    public int? MaxLength
    {
        get => _maxLength;
        init => _maxLength = value is null or >= 4
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, "MaxLength must be at least 4 tokens (room for special tokens and text), or null.");
    }

    /// <summary>Which tokens to drop from a row longer than the maximum length. Default <see cref="RewardTruncation.Left"/>.</summary>
    public RewardTruncation Truncation { get; init; } = RewardTruncation.Left;

    /// <summary>Throw a <see cref="RewardSourceException"/> instead of truncating an over-long row.</summary>
    public bool Strict { get; init; }

    /// <summary>Receives warnings (truncation happened), each kind once per model instance. They are also kept in <see cref="OnnxRewardModel.Warnings"/>.</summary>
    public IProgress<string>? Warnings { get; init; }

    /// <summary>How (prompt, response) becomes tokens; null = the default of the detected kind (<see cref="RewardInputFormat.BertPair"/> for encoders, <see cref="RewardInputFormat.PromptSpaceResponse"/> for decoders, without BOS when their tokenizer declares none).</summary>
    public RewardInputFormat? InputFormat { get; init; }

    /// <summary>
    /// Score a query's <see cref="RewardQuery.PromptTokenIds"/> + <see cref="RewardQuery.ResponseTokenIds"/> directly when both are set
    /// (only correct when the reward model shares the LM's tokenizer and prompt formatting); rows without ids use the text path.
    /// </summary>
    public bool UseTokenIds { get; init; }

    /// <summary>Sort rows by token count before batching so that each batch pads little. Default true. Scores come back in query order either way.</summary>
    public bool SortByLength { get; init; } = true;

    private readonly int _callOverheadTokens = AlignedGenDefaults.RewardCallOverheadTokens;

    /// <summary>
    /// With <see cref="SortByLength"/>: what one more ONNX call costs, in padded token positions. The length-sorted rows of
    /// a Score call are cut into batches of at most <see cref="BatchSize"/> rows where the padding saved outweighs an
    /// extra call (0 = never pad, one call per distinct length; <see cref="int.MaxValue"/> = as few calls as possible). Default 32.
    /// </summary>
    public int CallOverheadTokens
    {
        get => _callOverheadTokens;
        init => _callOverheadTokens = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CallOverheadTokens), value, "CallOverheadTokens must be 0 or more (token positions one extra model call is worth); use int.MaxValue for the fewest calls.");
    }

    private readonly ExecutionOptions _execution = ExecutionOptions.Default;

    /// <summary>Where the ONNX session runs (CPU / CUDA, threads). Default CPU.</summary>
    public ExecutionOptions Execution
    {
        get => _execution;
        init => _execution = value ?? throw new ArgumentNullException(nameof(Execution), "Use ExecutionOptions.Default for the CPU.");
    }
}
