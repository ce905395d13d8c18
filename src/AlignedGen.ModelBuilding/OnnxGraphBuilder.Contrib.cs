namespace AlignedGen.ModelBuilding;

/// <summary>ONNX Runtime contrib operators (com.microsoft, plus SimplifiedLayerNormalization in the default domain) as onnxruntime-genai's builder writes them.</summary>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>RMSNorm: x / sqrt(mean(x²) + ε) · scale over the last axis (statistics in float32).</summary>
    public string SimplifiedLayerNormalization(string x, string scale, float epsilon, string? output = null) =>
        AddNode("SimplifiedLayerNormalization", [x, scale], output,
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", epsilon), OnnxAttribute.Int("stash_type", 1));

    /// <summary>Residual add then RMSNorm: returns (norm(input + skip) · scale, input + skip).</summary>
    public (string Normalized, string Sum) SkipSimplifiedLayerNormalization(string input, string skip, string scale, float epsilon)
    {
        var sum = FreshName("residual");
        var outputs = AddNode("SkipSimplifiedLayerNormalization", [input, skip, scale], 4, [OnnxAttribute.Float("epsilon", epsilon)],
            [FreshName("SkipSimplifiedLayerNormalization"), "", "", sum], MicrosoftDomain);
        return (outputs[0], outputs[3]);
    }

    /// <summary>
    /// x · W with W as 4-bit blocks: <paramref name="codes"/> uint8 [N, K / blockSize, blockSize / 2] and
    /// <paramref name="scales"/> [N · K / blockSize], zero point 8; <paramref name="accuracyLevel"/> 4 computes with int8 activations.
    /// </summary>
    public string MatMulNBits(string x, string codes, string scales, long inputs, long outputs, int blockSize, int accuracyLevel, string? output = null) =>
        AddNode("MatMulNBits", [x, codes, scales], 1,
            [OnnxAttribute.Int("K", inputs), OnnxAttribute.Int("N", outputs), OnnxAttribute.Int("bits", 4),
             OnnxAttribute.Int("block_size", blockSize), OnnxAttribute.Int("accuracy_level", accuracyLevel)],
            output is null ? null : [output], MicrosoftDomain)[0];

    /// <summary>
    /// GroupQueryAttention over a packed [batch, seq, (heads + 2·kv)·headSize] query/key/value input with rotary
    /// embedding inside (cos/sin tables [positions, headSize / 2], non-interleaved). Returns (output, present key, present value).
    /// </summary>
    public (string Output, string PresentKey, string PresentValue) GroupQueryAttention(string packedQkv, string pastKey, string pastValue,
        string seqlensK, string totalSequenceLength, string cosCache, string sinCache, int heads, int kvHeads, int headSize,
        int localWindowSize, string presentKey, string presentValue)
    {
        var outputs = AddNode("GroupQueryAttention", [packedQkv, "", "", pastKey, pastValue, seqlensK, totalSequenceLength, cosCache, sinCache], 3,
            [OnnxAttribute.Int("num_heads", heads), OnnxAttribute.Int("kv_num_heads", kvHeads),
             OnnxAttribute.Float("scale", (float)(1.0 / Math.Sqrt(headSize))), OnnxAttribute.Int("do_rotary", 1),
             OnnxAttribute.Int("rotary_interleaved", 0), OnnxAttribute.Int("local_window_size", localWindowSize)],
            [FreshName("GroupQueryAttention"), presentKey, presentValue], MicrosoftDomain);
        return (outputs[0], outputs[1], outputs[2]);
    }
}
