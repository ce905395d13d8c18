namespace AlignedGen.ModelBuilding;

/// <summary>Which published decoder family a built model imitates (what config.json and genai_config.json call it).</summary>
public enum DecoderFamily
{
    /// <summary>Llama 2/3, SmolLM2: RMSNorm, RoPE, SwiGLU MLP, grouped-query attention, no biases.</summary>
    Llama,

    /// <summary>Qwen2 / Qwen2.5: Llama's block with biases on the query, key and value projections.</summary>
    Qwen2,

    /// <summary>Mistral: Llama's block with sliding-window attention.</summary>
    Mistral,
}
