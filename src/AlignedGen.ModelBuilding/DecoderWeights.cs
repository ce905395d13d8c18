using System.Text;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The deterministic random weights of a <see cref="DecoderShape"/>, by Hugging Face tensor name, in PyTorch's layout
/// (a Linear weight is [out, in]). Every tensor has its own stream seeded from the shape's seed and the tensor's name, so
/// tensors are produced one at a time (a multi-gigabyte model never sits in memory at once) and a reference forward
/// pass can ask for any of them again. Values are uniform with the standard deviation that keeps activations near unit
/// scale (1/√in for linear layers and the embedding); norm gains are 1 ± 0.1.
/// </summary>
internal sealed class DecoderWeights(DecoderShape shape, ModelHead head, WeightFormat format, int blockSize = DecoderWeights.Int4BlockSize)
{
    /// <summary>The block size onnxruntime-genai's builder uses for int4 on CPU.</summary>
    public const int Int4BlockSize = 32;

    public const string Embedding = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";
    public const string ScoreHead = "score.weight";

    public DecoderShape Shape => shape;
    public ModelHead Head => head;
    public WeightFormat Format => format;
    public int BlockSize => blockSize;

    public static string Layer(int layer, string part) => $"model.layers.{layer}.{part}";

    /// <summary>The head matrix's name: lm_head.weight [vocab, hidden] or score.weight [1, hidden].</summary>
    public string HeadName => head == ModelHead.LanguageModel ? LmHead : ScoreHead;

    /// <summary>Every tensor of the model: name, rows, columns (vectors have one row) and whether it is a linear layer's weight.</summary>
    public IEnumerable<(string Name, int Rows, int Columns, bool IsLinear)> Tensors()
    {
        int h = shape.HiddenSize;
        yield return (Embedding, shape.VocabularySize, h, false);
        for (int i = 0; i < shape.Layers; i++)
        {
            yield return (Layer(i, "input_layernorm.weight"), 1, h, false);
            yield return (Layer(i, "self_attn.q_proj.weight"), shape.QueryWidth, h, true);
            yield return (Layer(i, "self_attn.k_proj.weight"), shape.KeyValueWidth, h, true);
            yield return (Layer(i, "self_attn.v_proj.weight"), shape.KeyValueWidth, h, true);
            if (shape.HasQkvBias)
            {
                yield return (Layer(i, "self_attn.q_proj.bias"), 1, shape.QueryWidth, false);
                yield return (Layer(i, "self_attn.k_proj.bias"), 1, shape.KeyValueWidth, false);
                yield return (Layer(i, "self_attn.v_proj.bias"), 1, shape.KeyValueWidth, false);
            }
            yield return (Layer(i, "self_attn.o_proj.weight"), h, shape.QueryWidth, true);
            yield return (Layer(i, "post_attention_layernorm.weight"), 1, h, false);
            yield return (Layer(i, "mlp.gate_proj.weight"), shape.IntermediateSize, h, true);
            yield return (Layer(i, "mlp.up_proj.weight"), shape.IntermediateSize, h, true);
            yield return (Layer(i, "mlp.down_proj.weight"), h, shape.IntermediateSize, true);
        }
        yield return (FinalNorm, 1, h, false);
        yield return head == ModelHead.LanguageModel ? (LmHead, shape.VocabularySize, h, true) : (ScoreHead, 1, h, false);
    }

    /// <summary>Whether the tensor is stored as 4-bit blocks (linear layers and the LM head, in <see cref="WeightFormat.Int4"/>).</summary>
    public bool IsQuantized(string name) => format == WeightFormat.Int4 && Find(name).IsLinear;

    /// <summary>The float32 values drawn for <paramref name="name"/> ([rows, columns] row-major); a tied LM head returns the embedding.</summary>
    public float[] Raw(string name)
    {
        var (_, rows, columns, _) = Find(name);
        if (name == LmHead && shape.TiedEmbeddings) return Raw(Embedding);
        var values = new float[(long)rows * columns];
        var random = new SeededRandom(StreamSeed(name));
        if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == FinalNorm)
        {
            for (int i = 0; i < values.Length; i++) values[i] = 1f + (float)((random.NextDouble() * 2 - 1) * 0.1);
            return values;
        }
        // Uniform on [-a, a] has standard deviation a / √3.
        double std = name.EndsWith(".bias", StringComparison.Ordinal) ? 0.2 : 1.0 / Math.Sqrt(columns);
        random.FillUniform(values, std * Math.Sqrt(3));
        return values;
    }

    /// <summary>The values the graph computes with: rounded to float16, or dequantized from 4-bit blocks.</summary>
    public float[] Effective(string name)
    {
        var values = Raw(name);
        if (format == WeightFormat.Float16)
        {
            for (int i = 0; i < values.Length; i++) values[i] = (float)(Half)values[i];
        }
        else if (IsQuantized(name))
        {
            var (_, rows, columns, _) = Find(name);
            var (codes, scales) = Int4BlockQuantizer.Quantize(values, rows, columns, blockSize);
            values = Int4BlockQuantizer.Dequantize(codes, scales, rows, columns, blockSize);
        }
        return values;
    }

    /// <summary>The (q, k, v) rows stacked as one [q + 2·kv, hidden] matrix (onnxruntime-genai's packed QKV projection).</summary>
    public float[] PackedQkv(int layer, Func<string, float[]> source, string suffix)
    {
        var parts = new[] { "q_proj", "k_proj", "v_proj" }.Select(p => source(Layer(layer, $"self_attn.{p}.{suffix}"))).ToArray();
        var packed = new float[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(packed, offset);
            offset += part.Length;
        }
        return packed;
    }

    /// <summary>[rows, columns] of a tensor (vectors have one row).</summary>
    public (int Rows, int Columns) Size(string name)
    {
        var (_, rows, columns, _) = Find(name);
        return (rows, columns);
    }

    private (string Name, int Rows, int Columns, bool IsLinear) Find(string name)
    {
        foreach (var t in Tensors())
            if (t.Name == name) return t;
        throw new ArgumentException($"The model has no tensor named '{name}'.", nameof(name));
    }

    private ulong StreamSeed(string name)
    {
        ulong hash = 14695981039346656037UL;     // FNV-1a over the UTF-8 name
        foreach (var b in Encoding.UTF8.GetBytes(name)) hash = (hash ^ b) * 1099511628211UL;
        return shape.Seed * 0x9E3779B97F4A7C15UL ^ hash;
    }
}
