namespace AlignedGen.ModelBuilding;

/// <summary>
/// Standard-operator pieces every decoder graph of the builders shares (the tiny constructed models and the random
/// Llama-family ones): positions from the mask, the causal + padding (+ sliding window) mask, head splitting,
/// grouped-query repetition, RMSNorm and picking each row's last real position.
/// </summary>
internal static class DecoderGraphOps
{
    /// <summary>Added to the scores of keys a query may not attend (exp underflows to exactly 0); not -inf, so fully padded rows stay finite.</summary>
    public const float MaskedScore = -1e9f;

    /// <summary>Positions of the new columns as cumsum(attention_mask) - 1, clamped at 0 (the rule for left-padded batches).</summary>
    public static string DerivePositions(this OnnxGraphBuilder g, string attentionMask, string past, string total)
    {
        var counted = g.Sub(g.CumSum(attentionMask, 1), g.Scalar(1L));
        var clamped = g.Max(counted, g.Scalar(0L));
        return g.Slice(clamped, g.Unsqueeze(past, [0]), g.Unsqueeze(total, [0]), g.Constant(1));
    }

    /// <summary>
    /// [batch, 1, seq, total] bool, named attention_allowed (once per graph): key column j is visible to query i iff j &lt;= past + i, attention_mask[b, j] = 1 and,
    /// with a sliding <paramref name="window"/>, j &gt; past + i - window (columns are positions for left-padded rows).
    /// </summary>
    public static string AllowedMask(this OnnxGraphBuilder g, string attentionMask, string past, string total, int? window = null)
    {
        var one = g.Scalar(1L);
        var queryRange = g.Range(past, total, one);
        var keyRange = g.Range(g.Scalar(0L), total, one);
        var keyPositions = g.Unsqueeze(keyRange, [0]);
        var queryPositions = g.Unsqueeze(queryRange, [1]);
        var allowed = g.LessOrEqual(keyPositions, queryPositions);
        if (window is int w)
        {
            // key > query - w  ⇔  query - w < key  ⇔  (query - w + 1) <= key
            var earliest = g.Sub(queryPositions, g.Scalar((long)w - 1));
            allowed = g.And(allowed, g.LessOrEqual(earliest, keyPositions));
        }
        var padding = g.Unsqueeze(g.Cast(attentionMask, OnnxElementType.Bool), [1, 2]);
        return g.And(allowed, padding, "attention_allowed");
    }

    /// <summary>[b, s, n·hd] → [b, n, s, hd].</summary>
    public static string SplitHeads(this OnnxGraphBuilder g, string x, long count, long headSize) =>
        g.Transpose(g.Reshape(x, [0, 0, count, headSize]), [0, 2, 1, 3]);

    /// <summary>[b, n, s, hd] → [b, s, n·hd].</summary>
    public static string MergeHeads(this OnnxGraphBuilder g, string x, long width) =>
        g.Reshape(g.Transpose(x, [0, 2, 1, 3]), [0, 0, width]);

    /// <summary>Grouped-query attention: [b, kv, t, hd] → [b, heads, t, hd], query head i reading KV head i / (heads / kv).</summary>
    public static string RepeatKv(this OnnxGraphBuilder g, string x, long heads, long kvHeads, long headSize)
    {
        var groups = heads / kvHeads;
        if (groups == 1) return x;
        var expanded = g.Expand(g.Unsqueeze(x, [2]), [1, 1, groups, 1, 1]);
        return g.Reshape(expanded, [0, heads, -1, headSize]);
    }

    /// <summary>Scaled dot-product attention of q [b, heads, s, hd] over k, v [b, heads, t, hd] where <paramref name="allowed"/> is true.</summary>
    public static string Attend(this OnnxGraphBuilder g, string q, string k, string v, string allowed, long headSize)
    {
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, [0, 1, 3, 2])), g.Scalar((float)(1.0 / Math.Sqrt(headSize))));
        var probs = g.Softmax(g.Where(allowed, scores, g.Scalar(MaskedScore)), -1);
        return g.MatMul(probs, v);
    }

    /// <summary>x / sqrt(mean(x²) + ε) · gain over the last axis, in standard operators.</summary>
    public static string RmsNorm(this OnnxGraphBuilder g, string x, string gain, float epsilon, OnnxElementType type = OnnxElementType.Float)
    {
        var meanSquare = g.ReduceMean(g.Mul(x, x), [-1]);
        var rms = g.Sqrt(g.Add(meanSquare, g.Scalar(epsilon, type)));
        return g.Mul(g.Div(x, rms), gain);
    }

    /// <summary>
    /// Picks values [batch, seq] at each row's last position with mask 1 → [batch, 1]: argmax over mask · (1, 2, ..., seq)
    /// (distinct values, so the first maximum is the last 1); works for left and right padding.
    /// </summary>
    public static string PickLastRealPosition(this OnnxGraphBuilder g, string values, string attentionMask, string output)
    {
        var seqLen = g.Element(g.Shape(attentionMask), 1);
        var ramp = g.Range(g.Scalar(1L), g.Add(seqLen, g.Scalar(1L)), g.Scalar(1L));
        var last = g.ArgMax(g.Cast(g.Mul(attentionMask, ramp), OnnxElementType.Float), 1, keepDims: true);
        return g.GatherElements(values, last, 1, output);
    }
}
