using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// What <see cref="TinyDecoderBuilder"/> builds: a causal LM whose logits for the next token are the row of
/// <see cref="BigramLogits"/> for the last token (exactly with <see cref="AttentionContribution.Silent"/>, plus a
/// prefix- and position-dependent term with <see cref="AttentionContribution.Random"/>).
/// </summary>
public sealed class TinyDecoderOptions
{
    /// <summary>Creates options around a [vocab, vocab] bigram logit table (row = current token, column = next token).</summary>
    public TinyDecoderOptions(float[,] bigramLogits)
    {
        ArgumentNullException.ThrowIfNull(bigramLogits);
        var rows = bigramLogits.GetLength(0);
        if (rows < 2 || rows != bigramLogits.GetLength(1))
            throw new ArgumentException($"The bigram table is [{rows}, {bigramLogits.GetLength(1)}]; it must be square [vocab, vocab] with vocab >= 2.", nameof(bigramLogits));
        foreach (var value in bigramLogits)
        {
            if (!float.IsFinite(value))
                throw new ArgumentException($"The bigram table contains {value}; use finite logits (e.g. -30 for 'never').", nameof(bigramLogits));
        }
        BigramLogits = (float[,])bigramLogits.Clone();
    }

    /// <summary>[vocab, vocab] logits: row t is the next-token logits after token t.</summary>
    public float[,] BigramLogits { get; }

    /// <summary>Vocabulary size (the table's side).</summary>
    public int VocabularySize => BigramLogits.GetLength(0);

    /// <summary>Layer/head sizes and the PRNG seed.</summary>
    public TinyTransformerArchitecture Architecture { get; init => field = value ?? throw new ArgumentNullException(nameof(Architecture)); } = new();

    /// <summary>Whether attention reaches the logits.</summary>
    public AttentionContribution Attention { get; init; } = AttentionContribution.Silent;

    /// <summary>True (default) declares a position_ids input (Optimum layout); false derives positions from cumsum(attention_mask) - 1 in the graph (onnxruntime-genai GQA style).</summary>
    public bool IncludePositionIds { get; init; } = true;

    /// <summary>Stores weights as float16 (cast to float32 in the graph) and makes past/present/logits float16.</summary>
    public bool Float16 { get; init; }

    /// <summary>Writes large initializers to model.onnx.data beside model.onnx.</summary>
    public bool ExternalData { get; init; }

    /// <summary>Special ids for config files; null uses the byte-level ones when vocab = 259, else none.</summary>
    public SpecialTokenIds? SpecialTokens { get; init => field = SpecialTokensResolver.Check(value, VocabularySize, nameof(SpecialTokens)); }

    /// <summary>Hidden size that follows from the vocabulary and architecture.</summary>
    public int HiddenSize => ResidualLayout.For(VocabularySize, Architecture, hasRewardSlot: false).Hidden;

    /// <summary>The special ids the folder's config files will declare.</summary>
    public SpecialTokenIds ResolvedSpecialTokens => SpecialTokensResolver.Resolve(SpecialTokens, VocabularySize);
}
