using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;

namespace AlignedGen.Evaluation;

/// <summary>
/// What <see cref="QualityEvaluator"/> measures and with what. Every metric source is optional: a metric whose source
/// is absent stays null. Validated when set.
/// </summary>
public sealed class QualityEvaluatorOptions
{
    private readonly int _batchSize = AlignedGenDefaults.BatchSize;
    private readonly GenerationOptions _promptEncoding = GenerationOptions.Default;

    /// <summary>Options with every default (only diversity and length are measured).</summary>
    public static QualityEvaluatorOptions Default { get; } = new();

    /// <summary>The reward the strategies optimised (reported as <see cref="EvaluatedResponse.GuidingReward"/>); null = not measured.</summary>
    public IRewardSource? GuidingReward { get; init; }

    /// <summary>A second, held-out reward the strategies never saw (<see cref="EvaluatedResponse.HeldOutReward"/>); null = not measured.</summary>
    public IRewardSource? HeldOutReward { get; init; }

    /// <summary>The sentence embedder for coherence (e.g. <see cref="MiniLmSentenceEmbedder.Create"/>); null = not measured.</summary>
    public ISentenceEmbedder? Embedder { get; init; }

    /// <summary>The generator's language model for fluency (mean NLL); null = not measured. Its tokenizer also measures length.</summary>
    public ICausalLanguageModel? FluencyModel { get; init; }

    /// <summary>
    /// The generator's tokenizer: lengths are counted in its tokens, and rows' token ids are passed to reward sources as
    /// coming from it. Null = the fluency model's tokenizer, or whitespace words when there is no model either.
    /// </summary>
    public ITextTokenizer? Tokenizer { get; init; }

    /// <summary>Measure ARGS diversity (over whitespace words). Default true.</summary>
    public bool MeasureDiversity { get; init; } = true;

    /// <summary>Rows per reward, embedding and fluency batch. Default 16.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"The evaluation batch size must be at least 1, got {value}. Use e.g. {AlignedGenDefaults.BatchSize}.");
    }

    /// <summary>
    /// How rows without prompt ids are encoded for fluency, as the generator would (chat template, special tokens).
    /// Only <see cref="GenerationOptions.ChatTemplate"/> and <see cref="GenerationOptions.AddSpecialTokens"/> matter. Default: raw prompt with BOS.
    /// </summary>
    public GenerationOptions PromptEncoding
    {
        get => _promptEncoding;
        init => _promptEncoding = value ?? throw new ArgumentNullException(nameof(PromptEncoding), "Use GenerationOptions.Default for raw prompts with BOS.");
    }

    /// <summary>The tokenizer lengths and ids use: <see cref="Tokenizer"/>, else the fluency model's, else null (whitespace words).</summary>
    public ITextTokenizer? EffectiveTokenizer => Tokenizer ?? FluencyModel?.Tokenizer;
}
