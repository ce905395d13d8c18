namespace AlignedGen.ModelBuilding;

/// <summary>How a decoder's graph is written, after the two exporters users run.</summary>
public enum GraphStyle
{
    /// <summary>Hugging Face Optimum: standard ONNX operators only, a <c>position_ids</c> input, rotary embedding and the causal/padding mask spelled out, left padding.</summary>
    Optimum,

    /// <summary>onnxruntime-genai's model builder: com.microsoft GroupQueryAttention with rotary inside (no <c>position_ids</c>), SimplifiedLayerNormalization, packed QKV, right padding.</summary>
    GenAi,
}
