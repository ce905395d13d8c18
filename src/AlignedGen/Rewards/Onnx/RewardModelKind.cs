namespace AlignedGen.Rewards;

/// <summary>The ONNX layouts of reward models that AlignedGen reads, detected from the graph's inputs and outputs.</summary>
public enum RewardModelKind
{
    /// <summary>Decoder sequence classifier (Llama/Qwen/Gemma style): <c>input_ids, attention_mask → logits [batch, 1]</c>, pooled at each row's last real token inside the graph.</summary>
    DecoderSequenceClassification,

    /// <summary>Encoder sequence classifier (BERT/DeBERTa style): <c>input_ids, attention_mask, token_type_ids → logits [batch, 1]</c>.</summary>
    EncoderSequenceClassification,

    /// <summary>Decoder with a KV cache and a per-position <c>scores [batch, seq]</c> output; the reward of a sequence is the score at its last token.</summary>
    CachedDecoder,
}
