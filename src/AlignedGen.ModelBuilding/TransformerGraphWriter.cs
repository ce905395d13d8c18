namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes the shared decoder body into a graph: token + learned position embeddings, pre-norm blocks of causal
/// (grouped-query) attention with an optional KV cache and a SiLU MLP. Masked scores use a large negative constant,
/// not -inf, so fully padded rows stay finite. Computation is float32; with float16 the weights are stored as halves
/// and cast on load, and the cache inputs/outputs are float16.
/// </summary>
internal sealed class TransformerGraphWriter(OnnxGraphBuilder g, TransformerWeights w, bool float16)
{
    /// <summary>Added to the scores of keys a query may not attend (exp underflows to exactly 0).</summary>
    public const float MaskedScore = -1e9f;

    private readonly List<string> _presentNames = [];

    private OnnxElementType CacheType => float16 ? OnnxElementType.Float16 : OnnxElementType.Float;

    /// <summary>
    /// Declares the present.{i}.key/value graph outputs created by <see cref="WriteHidden"/>; call it after the main
    /// output so that outputs are ordered as in Hugging Face exports (logits or scores first).
    /// </summary>
    public void DeclarePresentOutputs()
    {
        foreach (var name in _presentNames)
            g.AddOutput(name, CacheType, "batch_size", w.KvHeads, "total_sequence_length", w.HeadSize);
        _presentNames.Clear();
    }

    /// <summary>
    /// Adds the body and returns the final hidden state [batch, seq, H]. <paramref name="positionIds"/> null derives
    /// positions as cumsum(attention_mask) - 1 (clamped at 0). With <paramref name="withCache"/> it declares the
    /// past_key_values.{i}.key/value inputs and produces present.{i}.key/value (see <see cref="DeclarePresentOutputs"/>).
    /// </summary>
    public string WriteHidden(string inputIds, string attentionMask, string? positionIds, bool withCache)
    {
        var seqLen = g.Element(g.Shape(inputIds), 1);
        var total = g.Element(g.Shape(attentionMask), 1);
        var past = g.Sub(total, seqLen);
        var positions = positionIds ?? DerivePositions(attentionMask, past, total);
        var allowed = AllowedMask(attentionMask, past, total);

        var tokens = g.Gather(Weight("model.embed_tokens.weight", w.TokenEmbedding, w.Vocabulary, w.Hidden), inputIds);
        var positional = g.Gather(Weight("model.embed_positions.weight", w.PositionEmbedding, w.MaxPositions, w.Hidden), positions);
        var hidden = g.Add(tokens, positional);
        for (var i = 0; i < w.Layers.Length; i++)
            hidden = WriteLayer(i, w.Layers[i], hidden, allowed, withCache);
        return hidden;
    }

    /// <summary>Adds a float weight (cast from a float16 initializer when requested) and returns the float32 value name.</summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        if (!float16) return g.AddInitializer(name, values, dims);
        var half = g.AddFloat16Initializer(name + ".fp16", values, dims);
        return g.Cast(half, OnnxElementType.Float, name);
    }

    private string DerivePositions(string attentionMask, string past, string total)
    {
        var counted = g.Sub(g.CumSum(attentionMask, 1), g.Scalar(1L));
        var clamped = g.Max(counted, g.Scalar(0L));
        return g.Slice(clamped, g.Unsqueeze(past, [0]), g.Unsqueeze(total, [0]), g.Constant(1));
    }

    /// <summary>[batch, 1, seq, total] bool: key j is visible to query i iff j &lt;= past + i and attention_mask[b, j] = 1.</summary>
    private string AllowedMask(string attentionMask, string past, string total)
    {
        var one = g.Scalar(1L);
        var queryPositions = g.Range(past, total, one);
        var keyPositions = g.Range(g.Scalar(0L), total, one);
        var causal = g.LessOrEqual(g.Unsqueeze(keyPositions, [0]), g.Unsqueeze(queryPositions, [1]));
        var padding = g.Unsqueeze(g.Cast(attentionMask, OnnxElementType.Bool), [1, 2]);
        return g.And(causal, padding, "attention_allowed");
    }

    private string WriteLayer(int index, TransformerLayerWeights layer, string hidden, string allowed, bool withCache)
    {
        var prefix = $"model.layers.{index}";
        long h = w.Hidden, heads = w.Heads, kv = w.KvHeads, hd = w.HeadSize;

        var x = RmsNorm(hidden, Weight($"{prefix}.input_layernorm.weight", layer.AttentionNorm, h));
        var q = SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.q_proj.weight", layer.Query, h, heads * hd)), heads);
        var k = SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.k_proj.weight", layer.Key, h, kv * hd)), kv);
        var v = SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.v_proj.weight", layer.Value, h, kv * hd)), kv);
        if (withCache)
        {
            k = WithPast(index, "key", k);
            v = WithPast(index, "value", v);
        }
        k = RepeatKv(k);
        v = RepeatKv(v);

        var scores = g.Mul(g.MatMul(q, g.Transpose(k, [0, 1, 3, 2])), g.Scalar((float)(1.0 / Math.Sqrt(hd))));
        var probs = g.Softmax(g.Where(allowed, scores, g.Scalar(MaskedScore)), -1);
        var context = g.Reshape(g.Transpose(g.MatMul(probs, v), [0, 2, 1, 3]), [0, 0, heads * hd]);
        var attention = g.MatMul(context, Weight($"{prefix}.self_attn.o_proj.weight", layer.Output, heads * hd, h));
        hidden = g.Add(hidden, attention);

        var y = RmsNorm(hidden, Weight($"{prefix}.post_attention_layernorm.weight", layer.MlpNorm, h));
        var up = g.MatMul(y, Weight($"{prefix}.mlp.up_proj.weight", layer.Up, h, w.MlpSize));
        var activated = g.Mul(up, g.Sigmoid(up));
        var down = g.MatMul(activated, Weight($"{prefix}.mlp.down_proj.weight", layer.Down, w.MlpSize, h));
        return g.Add(hidden, down);
    }

    /// <summary>[b, s, n·hd] → [b, n, s, hd].</summary>
    private string SplitHeads(string x, long count) =>
        g.Transpose(g.Reshape(x, [0, 0, count, w.HeadSize]), [0, 2, 1, 3]);

    /// <summary>Concatenates the past cache (declared as an input) with the new keys/values and names the result present.{i}.{kind}.</summary>
    private string WithPast(int layer, string kind, string current)
    {
        var past = g.AddInput($"past_key_values.{layer}.{kind}", CacheType, "batch_size", w.KvHeads, "past_sequence_length", w.HeadSize);
        var presentName = $"present.{layer}.{kind}";
        string present;
        if (float16)
        {
            var full = g.Concat(2, [g.Cast(past, OnnxElementType.Float), current]);
            g.Cast(full, OnnxElementType.Float16, presentName);
            present = full;
        }
        else
        {
            present = g.Concat(2, [past, current], presentName);
        }
        _presentNames.Add(presentName);
        return present;
    }

    /// <summary>Grouped-query attention: [b, kv, t, hd] → [b, heads, t, hd], query head i reading KV head i / (heads / kv).</summary>
    private string RepeatKv(string x)
    {
        var groups = w.Heads / w.KvHeads;
        if (groups == 1) return x;
        var expanded = g.Expand(g.Unsqueeze(x, [2]), [1, 1, groups, 1, 1]);
        return g.Reshape(expanded, [0, w.Heads, -1, w.HeadSize]);
    }

    private string RmsNorm(string x, string gain)
    {
        var meanSquare = g.ReduceMean(g.Mul(x, x), [-1]);
        var rms = g.Sqrt(g.Add(meanSquare, g.Scalar(TransformerWeights.NormEpsilon)));
        return g.Mul(g.Div(x, rms), gain);
    }
}
