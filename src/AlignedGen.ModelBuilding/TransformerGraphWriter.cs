namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes the shared decoder body into a graph: token + learned position embeddings, pre-norm blocks of causal
/// (grouped-query) attention with an optional KV cache and a SiLU MLP. Masked scores use a large negative constant,
/// not -inf, so fully padded rows stay finite. Computation is float32; with float16 the weights are stored as halves
/// and cast on load, and the cache inputs/outputs are float16.
/// </summary>
internal sealed class TransformerGraphWriter(OnnxGraphBuilder g, TransformerWeights w, bool float16)
{
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
        var positions = positionIds ?? g.DerivePositions(attentionMask, past, total);
        var allowed = g.AllowedMask(attentionMask, past, total);

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

    private string WriteLayer(int index, TransformerLayerWeights layer, string hidden, string allowed, bool withCache)
    {
        var prefix = $"model.layers.{index}";
        long h = w.Hidden, heads = w.Heads, kv = w.KvHeads, hd = w.HeadSize;

        var x = g.RmsNorm(hidden, Weight($"{prefix}.input_layernorm.weight", layer.AttentionNorm, h), TransformerWeights.NormEpsilon);
        var q = g.SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.q_proj.weight", layer.Query, h, heads * hd)), heads, hd);
        var k = g.SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.k_proj.weight", layer.Key, h, kv * hd)), kv, hd);
        var v = g.SplitHeads(g.MatMul(x, Weight($"{prefix}.self_attn.v_proj.weight", layer.Value, h, kv * hd)), kv, hd);
        if (withCache)
        {
            k = WithPast(index, "key", k);
            v = WithPast(index, "value", v);
        }
        k = g.RepeatKv(k, heads, kv, hd);
        v = g.RepeatKv(v, heads, kv, hd);

        var context = g.MergeHeads(g.Attend(q, k, v, allowed, hd), heads * hd);
        var attention = g.MatMul(context, Weight($"{prefix}.self_attn.o_proj.weight", layer.Output, heads * hd, h));
        hidden = g.Add(hidden, attention);

        var y = g.RmsNorm(hidden, Weight($"{prefix}.post_attention_layernorm.weight", layer.MlpNorm, h), TransformerWeights.NormEpsilon);
        var up = g.MatMul(y, Weight($"{prefix}.mlp.up_proj.weight", layer.Up, h, w.MlpSize));
        var activated = g.Mul(up, g.Sigmoid(up));
        var down = g.MatMul(activated, Weight($"{prefix}.mlp.down_proj.weight", layer.Down, w.MlpSize, h));
        return g.Add(hidden, down);
    }

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

}
