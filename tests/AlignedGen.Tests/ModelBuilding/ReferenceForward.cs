using AlignedGen.ModelBuilding;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>
/// An independent, loop-by-loop double-precision forward pass over the builder's weights for one unpadded sequence
/// (positions 0..n-1): the oracle that the ONNX graphs implement the intended transformer (mask, GQA grouping, norms).
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Head outputs [n, HeadOutputs] (logits or reward scores) for each position.</summary>
    public static double[][] Run(TransformerWeights w, IReadOnlyList<int> ids)
    {
        int n = ids.Count, h = w.Hidden, hd = w.HeadSize, groups = w.Heads / w.KvHeads;
        var hidden = new double[n][];
        for (var i = 0; i < n; i++)
        {
            hidden[i] = new double[h];
            for (var d = 0; d < h; d++)
                hidden[i][d] = w.TokenEmbedding[ids[i] * h + d] + w.PositionEmbedding[i * h + d];
        }
        foreach (var layer in w.Layers)
        {
            var x = hidden.Select(row => RmsNorm(row, layer.AttentionNorm)).ToArray();
            var q = x.Select(row => Project(row, layer.Query, w.Heads * hd)).ToArray();
            var k = x.Select(row => Project(row, layer.Key, w.KvHeads * hd)).ToArray();
            var v = x.Select(row => Project(row, layer.Value, w.KvHeads * hd)).ToArray();
            for (var i = 0; i < n; i++)
            {
                var context = new double[w.Heads * hd];
                for (var head = 0; head < w.Heads; head++)
                {
                    var kvHead = head / groups;
                    var scores = new double[i + 1];
                    for (var j = 0; j <= i; j++)
                    {
                        double dot = 0;
                        for (var c = 0; c < hd; c++) dot += q[i][head * hd + c] * k[j][kvHead * hd + c];
                        scores[j] = dot / Math.Sqrt(hd);
                    }
                    var max = scores.Max();
                    var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var sum = weights.Sum();
                    for (var j = 0; j <= i; j++)
                        for (var c = 0; c < hd; c++) context[head * hd + c] += weights[j] / sum * v[j][kvHead * hd + c];
                }
                AddInPlace(hidden[i], Project(context, layer.Output, h));
            }
            for (var i = 0; i < n; i++)
            {
                var up = Project(RmsNorm(hidden[i], layer.MlpNorm), layer.Up, w.MlpSize);
                var activated = up.Select(u => u / (1 + Math.Exp(-u))).ToArray();
                AddInPlace(hidden[i], Project(activated, layer.Down, h));
            }
        }
        return hidden.Select(row => Project(row, w.Head, w.HeadOutputs)).ToArray();
    }

    private static double[] RmsNorm(double[] x, float[] gain)
    {
        var rms = Math.Sqrt(x.Sum(v => v * v) / x.Length + TransformerWeights.NormEpsilon);
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

    private static void AddInPlace(double[] target, double[] delta)
    {
        for (var d = 0; d < target.Length; d++) target[d] += delta[d];
    }
}
