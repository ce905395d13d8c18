using AlignedGen.ModelBuilding;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>
/// An independent, loop-by-loop double-precision forward pass for one unpadded sequence (positions 0..n-1): the oracle
/// that the ONNX graphs implement the intended transformer (mask, GQA grouping, norms, rotary, sliding window, biases).
/// It knows both model kinds the builders write: the tiny constructed ones (learned positions, SiLU MLP, no final norm)
/// and the random Llama-family ones (RoPE, SwiGLU, final norm).
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Head outputs [n, HeadOutputs] (logits or reward scores) of a tiny constructed model.</summary>
    public static double[][] Run(TransformerWeights w, IReadOnlyList<int> ids) => Run(ReferenceModel.FromTiny(w), ids);

    /// <summary>Head outputs [n, outputs] of a random Llama-family model, computed with the weights the graph holds (float16-rounded or dequantized).</summary>
    internal static double[][] Run(DecoderWeights w, IReadOnlyList<int> ids) => Run(ReferenceModel.FromDecoder(w), ids);

    public static double[][] Run(ReferenceModel m, IReadOnlyList<int> ids)
    {
        int n = ids.Count, h = m.Hidden, hd = m.HeadSize, groups = m.Heads / m.KvHeads;
        var hidden = new double[n][];
        for (var i = 0; i < n; i++) hidden[i] = m.Embed(ids[i], i);
        foreach (var layer in m.Layers)
        {
            var x = hidden.Select(row => RmsNorm(row, layer.AttentionNorm, m.Epsilon)).ToArray();
            var q = x.Select((row, i) => Rotate(AddBias(Project(row, layer.Query, m.Heads * hd), layer.QueryBias), i, m)).ToArray();
            var k = x.Select((row, i) => Rotate(AddBias(Project(row, layer.Key, m.KvHeads * hd), layer.KeyBias), i, m)).ToArray();
            var v = x.Select(row => AddBias(Project(row, layer.Value, m.KvHeads * hd), layer.ValueBias)).ToArray();
            for (var i = 0; i < n; i++)
            {
                var context = new double[m.Heads * hd];
                int first = m.Window is int window ? Math.Max(0, i - window + 1) : 0;
                for (var head = 0; head < m.Heads; head++)
                {
                    var kvHead = head / groups;
                    var scores = new double[i + 1 - first];
                    for (var j = first; j <= i; j++)
                    {
                        double dot = 0;
                        for (var c = 0; c < hd; c++) dot += q[i][head * hd + c] * k[j][kvHead * hd + c];
                        scores[j - first] = dot / Math.Sqrt(hd);
                    }
                    var max = scores.Max();
                    var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var sum = weights.Sum();
                    for (var j = first; j <= i; j++)
                        for (var c = 0; c < hd; c++) context[head * hd + c] += weights[j - first] / sum * v[j][kvHead * hd + c];
                }
                AddInPlace(hidden[i], Project(context, layer.Output, h));
            }
            for (var i = 0; i < n; i++)
            {
                var y = RmsNorm(hidden[i], layer.MlpNorm, m.Epsilon);
                var up = Project(y, layer.Up, m.MlpSize);
                var gate = layer.Gate is null ? up : Project(y, layer.Gate, m.MlpSize);
                var activated = up.Select((u, c) => gate[c] / (1 + Math.Exp(-gate[c])) * (layer.Gate is null ? 1 : u)).ToArray();
                AddInPlace(hidden[i], Project(activated, layer.Down, h));
            }
        }
        return hidden.Select(row => Project(m.FinalNorm is null ? row : RmsNorm(row, m.FinalNorm, m.Epsilon), m.Head, m.HeadOutputs)).ToArray();
    }

    /// <summary>Hugging Face's non-interleaved rotary embedding at position <paramref name="position"/>, per head; identity without RoPE.</summary>
    private static double[] Rotate(double[] x, int position, ReferenceModel m)
    {
        if (m.RopeTheta is not double theta) return x;
        int hd = m.HeadSize, half = hd / 2;
        var rotated = new double[x.Length];
        for (var start = 0; start < x.Length; start += hd)
            for (var i = 0; i < half; i++)
            {
                // The graphs hold cos/sin tables rounded to the compute type; the reference rounds the same way.
                double angle = position * Math.Pow(theta, -2.0 * i / hd);
                double cos = m.RoundTable((float)Math.Cos(angle)), sin = m.RoundTable((float)Math.Sin(angle));
                double a = x[start + i], b = x[start + half + i];
                rotated[start + i] = a * cos - b * sin;
                rotated[start + half + i] = b * cos + a * sin;
            }
        return rotated;
    }

    private static double[] RmsNorm(double[] x, float[] gain, float epsilon)
    {
        var rms = Math.Sqrt(x.Sum(v => v * v) / x.Length + epsilon);
        return x.Select((v, d) => v / rms * gain[d]).ToArray();
    }

    /// <summary>x [in] · W [in, outputs].</summary>
    private static double[] Project(double[] x, float[] matrix, int outputs)
    {
        var y = new double[outputs];
        for (var r = 0; r < x.Length; r++)
        {
            if (x[r] == 0) continue;
            for (var c = 0; c < outputs; c++) y[c] += x[r] * matrix[r * outputs + c];
        }
        return y;
    }

    private static double[] AddBias(double[] x, float[]? bias)
    {
        if (bias is null) return x;
        for (var i = 0; i < x.Length; i++) x[i] += bias[i];
        return x;
    }

    private static void AddInPlace(double[] target, double[] delta)
    {
        for (var d = 0; d < target.Length; d++) target[d] += delta[d];
    }
}

/// <summary>A decoder as the reference forward pass reads it: matrices as [in, out] (x·W).</summary>
internal sealed class ReferenceModel
{
    public required int Hidden { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadSize { get; init; }
    public required int MlpSize { get; init; }
    public required float Epsilon { get; init; }
    /// <summary>Embedding of (token, position), learned positions already added.</summary>
    public required Func<int, int, double[]> Embed { get; init; }
    public double? RopeTheta { get; init; }
    public int? Window { get; init; }
    /// <summary>How the graph's rotary tables round cos/sin (float16 models hold half-precision tables).</summary>
    public Func<float, double> RoundTable { get; init; } = v => v;
    public required ReferenceLayer[] Layers { get; init; }
    public float[]? FinalNorm { get; init; }
    public required float[] Head { get; init; }
    public required int HeadOutputs { get; init; }

    public static ReferenceModel FromTiny(TransformerWeights w) => new()
    {
        Hidden = w.Hidden, Heads = w.Heads, KvHeads = w.KvHeads, HeadSize = w.HeadSize, MlpSize = w.MlpSize,
        Epsilon = TransformerWeights.NormEpsilon,
        Embed = (token, position) => Enumerable.Range(0, w.Hidden)
            .Select(d => (double)w.TokenEmbedding[token * w.Hidden + d] + w.PositionEmbedding[position * w.Hidden + d]).ToArray(),
        Layers = w.Layers.Select(l => new ReferenceLayer
        {
            AttentionNorm = l.AttentionNorm, Query = l.Query, Key = l.Key, Value = l.Value, Output = l.Output,
            MlpNorm = l.MlpNorm, Up = l.Up, Down = l.Down,
        }).ToArray(),
        Head = w.Head,
        HeadOutputs = w.HeadOutputs,
    };

    internal static ReferenceModel FromDecoder(DecoderWeights w)
    {
        var s = w.Shape;
        var embedding = w.Effective(DecoderWeights.Embedding);
        float[] Matrix(string name)
        {
            var (rows, columns) = w.Size(name);
            var values = w.Effective(name);
            var transposed = new float[values.Length];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++) transposed[c * rows + r] = values[r * columns + c];
            return transposed;
        }
        float[]? Bias(int layer, string part) => s.HasQkvBias ? w.Effective(DecoderWeights.Layer(layer, $"self_attn.{part}.bias")) : null;
        bool half = w.Format == WeightFormat.Float16;
        return new ReferenceModel
        {
            Hidden = s.HiddenSize, Heads = s.Heads, KvHeads = s.KvHeads, HeadSize = s.HeadSize, MlpSize = s.IntermediateSize,
            Epsilon = s.RmsNormEpsilon,
            Embed = (token, _) => embedding.AsSpan(token * s.HiddenSize, s.HiddenSize).ToArray().Select(v => (double)v).ToArray(),
            RopeTheta = s.RopeTheta,
            Window = s.SlidingWindow,
            RoundTable = half ? v => (double)(Half)v : v => v,
            Layers = Enumerable.Range(0, s.Layers).Select(i => new ReferenceLayer
            {
                AttentionNorm = w.Effective(DecoderWeights.Layer(i, "input_layernorm.weight")),
                Query = Matrix(DecoderWeights.Layer(i, "self_attn.q_proj.weight")),
                Key = Matrix(DecoderWeights.Layer(i, "self_attn.k_proj.weight")),
                Value = Matrix(DecoderWeights.Layer(i, "self_attn.v_proj.weight")),
                QueryBias = Bias(i, "q_proj"), KeyBias = Bias(i, "k_proj"), ValueBias = Bias(i, "v_proj"),
                Output = Matrix(DecoderWeights.Layer(i, "self_attn.o_proj.weight")),
                MlpNorm = w.Effective(DecoderWeights.Layer(i, "post_attention_layernorm.weight")),
                Gate = Matrix(DecoderWeights.Layer(i, "mlp.gate_proj.weight")),
                Up = Matrix(DecoderWeights.Layer(i, "mlp.up_proj.weight")),
                Down = Matrix(DecoderWeights.Layer(i, "mlp.down_proj.weight")),
            }).ToArray(),
            FinalNorm = w.Effective(DecoderWeights.FinalNorm),
            Head = w.Head == ModelHead.LanguageModel ? Matrix(DecoderWeights.LmHead) : w.Effective(DecoderWeights.ScoreHead),
            HeadOutputs = w.Head == ModelHead.LanguageModel ? s.VocabularySize : 1,
        };
    }
}

/// <summary>One pre-norm block as the reference reads it; <see cref="Gate"/> null is the tiny models' plain SiLU MLP.</summary>
internal sealed class ReferenceLayer
{
    public required float[] AttentionNorm { get; init; }
    public required float[] Query { get; init; }
    public required float[] Key { get; init; }
    public required float[] Value { get; init; }
    public float[]? QueryBias { get; init; }
    public float[]? KeyBias { get; init; }
    public float[]? ValueBias { get; init; }
    public required float[] Output { get; init; }
    public required float[] MlpNorm { get; init; }
    public float[]? Gate { get; init; }
    public required float[] Up { get; init; }
    public required float[] Down { get; init; }
}
