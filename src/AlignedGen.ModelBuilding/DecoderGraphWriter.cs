namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes a Llama-family decoder (RMSNorm pre-norm blocks, RoPE, grouped-query attention, SwiGLU MLP, final norm) into a
/// graph in one of the two <see cref="GraphStyle"/>s, with the weights of <see cref="DecoderWeights"/> in the requested
/// <see cref="WeightFormat"/>, and one of the three heads. Weights are produced only while the file is written.
/// float16 models compute in float16 throughout (as onnxruntime-genai's GPU exports do; ONNX Runtime's CPU provider runs
/// them by casting where it has no float16 kernel).
/// </summary>
internal sealed class DecoderGraphWriter
{
    private readonly OnnxGraphBuilder g;
    private readonly DecoderModelOptions _options;
    private readonly DecoderShape s;
    private readonly DecoderWeights w;
    private readonly OnnxElementType _compute;
    private readonly List<(string Name, OnnxElementType Type)> _presents = [];

    private DecoderGraphWriter(DecoderModelOptions options)
    {
        _options = options;
        s = options.Shape;
        w = new DecoderWeights(s, options.Head, options.Weights);
        _compute = options.Weights == WeightFormat.Float16 ? OnnxElementType.Float16 : OnnxElementType.Float;
        g = new OnnxGraphBuilder($"{s.Family.ToString().ToLowerInvariant()}_{options.Style.ToString().ToLowerInvariant()}");
    }

    /// <summary>Builds the graph (the weights it references are produced when it is saved).</summary>
    public static OnnxGraphBuilder Build(DecoderModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var writer = new DecoderGraphWriter(options);
        writer.Write();
        return writer.g;
    }

    /// <summary>Refuses combinations that the graph styles cannot express, naming the option and the fix.</summary>
    internal static void Check(DecoderModelOptions options)
    {
        var shape = options.Shape;
        if (options.Head == ModelHead.SequenceClassification && options.Style == GraphStyle.GenAi)
            throw new ArgumentException("Sequence-classification reward models have no KV cache, and GroupQueryAttention graphs need one; use Style = GraphStyle.Optimum (how Optimum exports them).", nameof(options.Style));
        if (options.Weights == WeightFormat.Int4)
        {
            foreach (var (name, value) in new[] { ("HiddenSize", shape.HiddenSize), ("IntermediateSize", shape.IntermediateSize) })
                if (value % DecoderWeights.Int4BlockSize != 0)
                    throw new ArgumentException($"{name} = {value} is not a multiple of the int4 block size {DecoderWeights.Int4BlockSize}; use a multiple of {DecoderWeights.Int4BlockSize} " +
                        $"(such as {(value / DecoderWeights.Int4BlockSize + 1) * DecoderWeights.Int4BlockSize}) or WeightFormat.Float32.", name);
        }
    }

    private bool HasCache => _options.Head != ModelHead.SequenceClassification;

    private void Write()
    {
        var inputIds = g.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        var mask = g.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", HasCache ? "total_sequence_length" : "sequence_length");
        string? positionIds = _options.Style == GraphStyle.Optimum && HasCache
            ? g.AddInput("position_ids", OnnxElementType.Int64, "batch_size", "sequence_length")
            : null;

        var embeddings = Embed(inputIds);
        var hidden = _options.Style == GraphStyle.Optimum
            ? WriteOptimumBody(embeddings, mask, positionIds)
            : WriteGenAiBody(embeddings, mask);
        WriteHead(hidden, mask);
        foreach (var (name, type) in _presents)
            g.AddOutput(name, type, "batch_size", s.KvHeads, "total_sequence_length", s.HeadSize);
    }

    // ---- Optimum style: standard operators, position_ids, left padding ----

    private string WriteOptimumBody(string hidden, string mask, string? positionIds)
    {
        var seqLen = g.Element(g.Shape(hidden), 1);
        var total = g.Element(g.Shape(mask), 1);
        var past = g.Sub(total, seqLen);
        var positions = positionIds ?? g.DerivePositions(mask, past, total);
        var allowed = g.AllowedMask(mask, past, total, s.SlidingWindow);
        var (cos, sin) = RotaryTables();
        var cosAt = g.Unsqueeze(g.Gather(cos, positions), [1]);   // [b, 1, s, hd/2]
        var sinAt = g.Unsqueeze(g.Gather(sin, positions), [1]);

        for (int i = 0; i < s.Layers; i++)
        {
            var x = g.RmsNorm(hidden, Vector(DecoderWeights.Layer(i, "input_layernorm.weight")), s.RmsNormEpsilon, _compute);
            var q = g.SplitHeads(Projection(x, i, "q_proj"), s.Heads, s.HeadSize);
            var k = g.SplitHeads(Projection(x, i, "k_proj"), s.KvHeads, s.HeadSize);
            var v = g.SplitHeads(Projection(x, i, "v_proj"), s.KvHeads, s.HeadSize);
            q = Rotate(q, cosAt, sinAt);
            k = Rotate(k, cosAt, sinAt);
            if (HasCache)
            {
                k = g.Concat(2, [PastInput(i, "key"), k], Present(i, "key"));
                v = g.Concat(2, [PastInput(i, "value"), v], Present(i, "value"));
            }
            var context = Attend(q, g.RepeatKv(k, s.Heads, s.KvHeads, s.HeadSize), g.RepeatKv(v, s.Heads, s.KvHeads, s.HeadSize), allowed);
            hidden = g.Add(hidden, Linear(g.MergeHeads(context, s.QueryWidth), DecoderWeights.Layer(i, "self_attn.o_proj.weight")));
            var y = g.RmsNorm(hidden, Vector(DecoderWeights.Layer(i, "post_attention_layernorm.weight")), s.RmsNormEpsilon, _compute);
            hidden = g.Add(hidden, Mlp(y, i));
        }
        return g.RmsNorm(hidden, Vector(DecoderWeights.FinalNorm), s.RmsNormEpsilon, _compute);
    }

    /// <summary>q_proj / k_proj / v_proj of one layer, with Qwen2's bias.</summary>
    private string Projection(string x, int layer, string part)
    {
        var y = Linear(x, DecoderWeights.Layer(layer, $"self_attn.{part}.weight"));
        return s.HasQkvBias ? g.Add(y, Vector(DecoderWeights.Layer(layer, $"self_attn.{part}.bias"))) : y;
    }

    /// <summary>Hugging Face's non-interleaved rotary embedding of x [b, n, s, hd]: (x1·cos − x2·sin, x2·cos + x1·sin) over the two halves.</summary>
    private string Rotate(string x, string cos, string sin)
    {
        long half = s.HeadSize / 2;
        var axis = g.Constant(3);
        var x1 = g.Slice(x, g.Constant(0), g.Constant(half), axis);
        var x2 = g.Slice(x, g.Constant(half), g.Constant(2 * half), axis);
        return g.Concat(3, [g.Sub(g.Mul(x1, cos), g.Mul(x2, sin)), g.Add(g.Mul(x2, cos), g.Mul(x1, sin))]);
    }

    private string Attend(string q, string k, string v, string allowed)
    {
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, [0, 1, 3, 2])), g.Scalar((float)(1.0 / Math.Sqrt(s.HeadSize)), _compute));
        // float16 cannot hold -1e9: its most negative value still makes exp(masked - max) exactly 0.
        float masked = _compute == OnnxElementType.Float16 ? (float)Half.MinValue : DecoderGraphOps.MaskedScore;
        var probs = g.Softmax(g.Where(allowed, scores, g.Scalar(masked, _compute)), -1);
        return g.MatMul(probs, v);
    }

    // ---- onnxruntime-genai style: GroupQueryAttention, no position_ids, right padding ----

    private string WriteGenAiBody(string embeddings, string mask)
    {
        var seqlensK = g.Cast(g.Sub(g.ReduceSum(mask, [1], keepDims: false), g.Scalar(1L)), OnnxElementType.Int32, "seqlens_k");
        var totalLength = g.Cast(g.Element(g.Shape(mask), 1), OnnxElementType.Int32, "total_sequence_length_int32");
        var (cos, sin) = RotaryTables();
        var x = g.SimplifiedLayerNormalization(embeddings, Vector(DecoderWeights.Layer(0, "input_layernorm.weight")), s.RmsNormEpsilon);
        var residual = embeddings;
        for (int i = 0; i < s.Layers; i++)
        {
            var qkv = Linear(x, PackedQkvName(i));
            if (s.HasQkvBias) qkv = g.Add(qkv, Vector(PackedQkvBiasName(i)));
            var (attention, _, _) = g.GroupQueryAttention(qkv, PastInput(i, "key"), PastInput(i, "value"), seqlensK, totalLength, cos, sin,
                s.Heads, s.KvHeads, s.HeadSize, LocalWindowSize(), Present(i, "key"), Present(i, "value"));
            var output = Linear(attention, DecoderWeights.Layer(i, "self_attn.o_proj.weight"));
            (var y, residual) = g.SkipSimplifiedLayerNormalization(residual, output, Vector(DecoderWeights.Layer(i, "post_attention_layernorm.weight")), s.RmsNormEpsilon);
            var nextGain = i + 1 < s.Layers ? DecoderWeights.Layer(i + 1, "input_layernorm.weight") : DecoderWeights.FinalNorm;
            (x, residual) = g.SkipSimplifiedLayerNormalization(residual, Mlp(y, i), Vector(nextGain), s.RmsNormEpsilon);
        }
        return x;
    }

    /// <summary>
    /// GroupQueryAttention's local_window_size for a Hugging Face sliding window of W keys (the current one included):
    /// W itself, checked against the reference forward pass; −1 turns it off.
    /// </summary>
    private int LocalWindowSize() => s.SlidingWindow is int window ? window : -1;

    private static string PackedQkvName(int layer) => DecoderWeights.Layer(layer, "self_attn.qkv_proj.weight");
    private static string PackedQkvBiasName(int layer) => DecoderWeights.Layer(layer, "self_attn.qkv_proj.bias");

    // ---- shared parts ----

    private string Mlp(string x, int layer)
    {
        var gate = Linear(x, DecoderWeights.Layer(layer, "mlp.gate_proj.weight"));
        var up = Linear(x, DecoderWeights.Layer(layer, "mlp.up_proj.weight"));
        var activated = g.Mul(g.Mul(gate, g.Sigmoid(gate)), up);
        return Linear(activated, DecoderWeights.Layer(layer, "mlp.down_proj.weight"));
    }

    private void WriteHead(string hidden, string mask)
    {
        if (_options.Head == ModelHead.LanguageModel)
        {
            var logits = Linear(hidden, DecoderWeights.LmHead, "logits");
            g.AddOutput(logits, _compute, "batch_size", "sequence_length", s.VocabularySize);
            return;
        }
        var score = g.MatMul(hidden, HeadColumn());
        var perPosition = g.Squeeze(_compute == OnnxElementType.Float ? score : g.Cast(score, OnnxElementType.Float), [2],
            _options.Head == ModelHead.CachedScores ? "scores" : null);
        if (_options.Head == ModelHead.CachedScores)
        {
            g.AddOutput("scores", OnnxElementType.Float, "batch_size", "sequence_length");
            return;
        }
        g.PickLastRealPosition(perPosition, mask, "logits");
        g.AddOutput("logits", OnnxElementType.Float, "batch_size", 1);
    }

    /// <summary>score.weight [1, hidden] as the [hidden, 1] column a MatMul takes.</summary>
    private string HeadColumn() =>
        Initializer(DecoderWeights.ScoreHead, [s.HiddenSize, 1], _compute, () => w.Raw(DecoderWeights.ScoreHead));

    private string Embed(string inputIds)
    {
        var type = _options.Weights == WeightFormat.Float16 ? OnnxElementType.Float16 : OnnxElementType.Float;
        var table = Initializer(DecoderWeights.Embedding, [s.VocabularySize, s.HiddenSize], type, () => w.Raw(DecoderWeights.Embedding));
        var embedded = g.Gather(table, inputIds);
        return type == _compute ? embedded : g.Cast(embedded, _compute);
    }

    private string PastInput(int layer, string kind) =>
        g.AddInput($"past_key_values.{layer}.{kind}", _compute, "batch_size", s.KvHeads, "past_sequence_length", s.HeadSize);

    private string Present(int layer, string kind)
    {
        var name = $"present.{layer}.{kind}";
        _presents.Add((name, _compute));
        return name;
    }

    /// <summary>cos / sin of position · θ^(−2i/hd) for every position and i &lt; hd/2: [MaxPositions, hd/2].</summary>
    private (string Cos, string Sin) RotaryTables()
    {
        int half = s.HeadSize / 2;
        float[] Table(Func<double, double> f)
        {
            var table = new float[(long)s.MaxPositions * half];
            for (int p = 0; p < s.MaxPositions; p++)
                for (int i = 0; i < half; i++)
                    table[(long)p * half + i] = (float)f(p * Math.Pow(s.RopeTheta, -2.0 * i / s.HeadSize));
            return table;
        }
        return (Initializer("cos_cache", [s.MaxPositions, half], _compute, () => Table(Math.Cos)),
                Initializer("sin_cache", [s.MaxPositions, half], _compute, () => Table(Math.Sin)));
    }

    /// <summary>A norm gain or bias vector in the compute type.</summary>
    private string Vector(string name)
    {
        if (name.EndsWith("qkv_proj.bias", StringComparison.Ordinal))
        {
            int layer = int.Parse(name.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture);
            return Initializer(name, [s.QueryWidth + 2L * s.KeyValueWidth], _compute, () => w.PackedQkv(layer, w.Raw, "bias"));
        }
        return Initializer(name, [w.Size(name).Columns], _compute, () => w.Raw(name));
    }

    /// <summary>x · Wᵀ for a Linear weight W [out, in]: MatMul over the transposed float matrix, or MatMulNBits over 4-bit blocks.</summary>
    private string Linear(string x, string name, string? output = null)
    {
        var (rows, columns, values) = name.EndsWith("qkv_proj.weight", StringComparison.Ordinal)
            ? (s.QueryWidth + 2 * s.KeyValueWidth, s.HiddenSize, (Func<float[]>)(() => w.PackedQkv(int.Parse(name.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture), w.Raw, "weight")))
            : LinearSource(name);
        if (_options.Weights == WeightFormat.Int4)
        {
            int blocks = columns / w.BlockSize;
            // Both initializers come from one quantization; the codes are written first, so keep its scales for the second.
            float[]? scales = null;
            var codes = g.AddInitializer(name + ".int4", OnnxElementType.UInt8, [rows, blocks, w.BlockSize / 2],
                TensorData.Generated((long)rows * blocks * (w.BlockSize / 2), stream =>
                {
                    var (c, sc) = Int4BlockQuantizer.Quantize(values(), rows, columns, w.BlockSize);
                    scales = sc;
                    stream.Write(c);
                }));
            var scaleName = g.AddInitializer(name + ".scales", OnnxElementType.Float, [(long)rows * blocks],
                TensorData.Generated((long)rows * blocks * sizeof(float), stream =>
                {
                    scales ??= Int4BlockQuantizer.Quantize(values(), rows, columns, w.BlockSize).Scales;
                    stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scales.AsSpan()));
                    scales = null;
                }));
            return g.MatMulNBits(x, codes, scaleName, columns, rows, w.BlockSize, _options.Int4AccuracyLevel, output);
        }
        var matrix = Initializer(name, [columns, rows], _compute, () => Transpose(values(), rows, columns));
        return g.MatMul(x, matrix, output);
    }

    private (int Rows, int Columns, Func<float[]> Values) LinearSource(string name)
    {
        var (rows, columns) = w.Size(name);
        return (rows, columns, () => w.Raw(name));
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var transposed = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                transposed[(long)c * rows + r] = values[(long)r * columns + c];
        return transposed;
    }

    /// <summary>An initializer of float values in <paramref name="type"/>, produced from <paramref name="values"/> when the file is written.</summary>
    private string Initializer(string name, long[] dims, OnnxElementType type, Func<float[]> values)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        int size = type == OnnxElementType.Float16 ? 2 : 4;
        return g.AddInitializer(name, type, dims, TensorData.Generated(count * size, stream =>
        {
            var data = values();
            if (type == OnnxElementType.Float)
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                return;
            }
            var halves = new Half[data.Length];
            for (long i = 0; i < data.Length; i++) halves[i] = (Half)data[i];
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
        }));
    }
}
