namespace AlignedGen.ModelBuilding;

/// <summary>How a built decoder stores its weights.</summary>
public enum WeightFormat
{
    /// <summary>float32 everywhere.</summary>
    Float32,

    /// <summary>float16 weights, KV cache and logits (what onnxruntime-genai writes for GPUs).</summary>
    Float16,

    /// <summary>
    /// Linear layers (the LM head included) as com.microsoft MatMulNBits: 4-bit symmetric blocks of 32 along the input
    /// dimension with one float32 scale each, as onnxruntime-genai's builder writes for CPUs; embeddings, norms and biases float32.
    /// </summary>
    Int4,
}
