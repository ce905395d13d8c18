namespace AlignedGen.ModelBuilding;

/// <summary>What a built decoder outputs on top of its final hidden state.</summary>
public enum ModelHead
{
    /// <summary>A causal LM: <c>logits [batch, seq, vocab]</c> plus the KV cache.</summary>
    LanguageModel,

    /// <summary>A Hugging Face sequence-classification reward model: <c>logits [batch, 1]</c> at each row's last real token, no cache.</summary>
    SequenceClassification,

    /// <summary>A cached decoder reward model: per-position <c>scores [batch, seq]</c> plus the KV cache (for ARGS).</summary>
    CachedScores,
}
