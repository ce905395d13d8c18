namespace AlignedGen.ModelBuilding;

/// <summary>
/// Symmetric 4-bit block quantization in com.microsoft MatMulNBits' layout. A weight W [out, in] (PyTorch's Linear
/// layout) becomes, for every output row n and block b of <c>blockSize</c> inputs, one float scale = max|w| / 7 and
/// codes q = round(w / scale) + 8 in 0..15 (the operator's default zero point is 8, so no zero-point input is needed).
/// Codes are packed two per byte, the even input in the low nibble: B [out, blocks, blockSize / 2], scales [out · blocks].
/// </summary>
public static class Int4BlockQuantizer
{
    /// <summary>The zero point MatMulNBits assumes when the graph gives none.</summary>
    public const int ZeroPoint = 8;

    /// <summary>Quantizes W [outputs, inputs]; <paramref name="inputs"/> must be a multiple of <paramref name="blockSize"/>.</summary>
    public static (byte[] Codes, float[] Scales) Quantize(ReadOnlySpan<float> weights, int outputs, int inputs, int blockSize)
    {
        Check(weights.Length, outputs, inputs, blockSize);
        int blocks = inputs / blockSize, half = blockSize / 2;
        var codes = new byte[(long)outputs * blocks * half];
        var scales = new float[(long)outputs * blocks];
        for (int n = 0; n < outputs; n++)
        {
            for (int b = 0; b < blocks; b++)
            {
                var block = weights.Slice(n * inputs + b * blockSize, blockSize);
                float max = 0;
                foreach (var w in block) max = Math.Max(max, Math.Abs(w));
                float scale = max > 0 ? max / 7f : 1f;
                scales[n * blocks + b] = scale;
                int offset = (n * blocks + b) * half;
                for (int k = 0; k < blockSize; k += 2)
                    codes[offset + k / 2] = (byte)(Code(block[k], scale) | (Code(block[k + 1], scale) << 4));
            }
        }
        return (codes, scales);
    }

    /// <summary>The values MatMulNBits computes with: (q − 8) · scale, as W [outputs, inputs].</summary>
    public static float[] Dequantize(ReadOnlySpan<byte> codes, ReadOnlySpan<float> scales, int outputs, int inputs, int blockSize)
    {
        Check((long)outputs * inputs, outputs, inputs, blockSize);
        int blocks = inputs / blockSize, half = blockSize / 2;
        var weights = new float[(long)outputs * inputs];
        for (int n = 0; n < outputs; n++)
            for (int b = 0; b < blocks; b++)
            {
                float scale = scales[n * blocks + b];
                int offset = (n * blocks + b) * half;
                for (int k = 0; k < blockSize; k++)
                {
                    int packed = codes[offset + k / 2];
                    int q = (k & 1) == 0 ? packed & 0xF : packed >> 4;
                    weights[n * inputs + b * blockSize + k] = (q - ZeroPoint) * scale;
                }
            }
        return weights;
    }

    private static int Code(float w, float scale) => Math.Clamp((int)MathF.Round(w / scale), -ZeroPoint, ZeroPoint - 1) + ZeroPoint;

    private static void Check(long count, int outputs, int inputs, int blockSize)
    {
        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "MatMulNBits takes a block size that is a power of two, at least 16 (onnxruntime-genai writes 32).");
        if (outputs < 1 || inputs < 1 || inputs % blockSize != 0)
            throw new ArgumentException($"The input dimension {inputs} is not a multiple of the block size {blockSize}; use sizes that are multiples of {blockSize}.", nameof(inputs));
        if (count != (long)outputs * inputs)
            throw new ArgumentException($"{count} weights given for [{outputs}, {inputs}].", nameof(outputs));
    }
}
