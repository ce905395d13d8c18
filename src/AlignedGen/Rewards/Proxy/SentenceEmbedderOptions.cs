using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>Options of <see cref="OnnxSentenceEmbedder"/>; validated when set.</summary>
public sealed class SentenceEmbedderOptions
{
    private readonly int _batchSize = AlignedGenDefaults.EmbedderBatchSize;
    private readonly int _maxLength = AlignedGenDefaults.EmbedderMaxLength;
    private readonly string? _name;

    /// <summary>Options with every default.</summary>
    public static SentenceEmbedderOptions Default { get; } = new();

    /// <summary>Most texts per ONNX call (texts are sorted by length and grouped first, see <see cref="CallOverheadTokens"/>). Default 32.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be at least 1.");
    }

    /// <summary>Maximum tokens per text including [CLS] and [SEP]; longer texts are truncated (sentence-transformers' all-MiniLM-L6-v2 uses 256). Default 256.</summary>
    public int MaxLength
    {
        get => _maxLength;
        init => _maxLength = value >= 3 ? value : throw new ArgumentOutOfRangeException(nameof(MaxLength), value, "MaxLength must be at least 3 ([CLS], one token, [SEP]).");
    }

    private readonly int _callOverheadTokens = 16;

    /// <summary>
    /// What one more ONNX call costs, in padded token positions: the length-sorted texts of an Embed call are cut into
    /// batches of at most <see cref="BatchSize"/> where the padding saved outweighs an extra call (0 = never pad;
    /// <see cref="int.MaxValue"/> = as few calls as possible). Default 16 (all-MiniLM-L6-v2 on CPU: a call's fixed cost
    /// is about 13 to 20 tokens' worth of arithmetic; see docs/benchmarks.md, "Relabeling").
    /// </summary>
    public int CallOverheadTokens
    {
        get => _callOverheadTokens;
        init => _callOverheadTokens = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CallOverheadTokens), value, "CallOverheadTokens must be 0 or more (token positions one extra model call is worth); use int.MaxValue for the fewest calls.");
    }

    /// <summary>Truncate from the start (keep the end of long texts) instead of the end. Default false (sentence-transformers' behaviour).</summary>
    public bool TruncateFromStart { get; init; }

    /// <summary>L2-normalise each embedding (as all-MiniLM-L6-v2's Normalize module). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Name for reports; null = the folder name (or "all-MiniLM-L6-v2" for the packaged model).</summary>
    public string? Name
    {
        get => _name;
        init => _name = value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Name cannot be blank; use null for the default.", nameof(Name));
    }

    private readonly ExecutionOptions _execution = ExecutionOptions.Default;

    /// <summary>Where the ONNX session runs (CPU / CUDA, threads). Default CPU.</summary>
    public ExecutionOptions Execution
    {
        get => _execution;
        init => _execution = value ?? throw new ArgumentNullException(nameof(Execution), "Use ExecutionOptions.Default for the CPU.");
    }
}
