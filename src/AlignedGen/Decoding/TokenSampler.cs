using System.Numerics;
using AlignedGen.Models;

namespace AlignedGen.Decoding;

/// <summary>
/// The token-choice math every strategy shares, on plain spans (tested on hand-built logits, no model needed):
/// argmax, top-k selection, and sampling with temperature, top-k and top-p.
/// </summary>
public static class TokenSampler
{
    /// <summary>Index of the largest value; the lowest index wins ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> values) => ArgMax<float>(values);

    /// <summary>Index of the largest value of a model's output row (float16 read in place); the lowest index wins ties.</summary>
    public static int ArgMax(OutputRow values) => values.IsHalf ? ArgMax(values.Halves) : ArgMax<float>(values.Floats);

    private static int ArgMax<T>(ReadOnlySpan<T> values) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        if (values.IsEmpty) throw new ArgumentException("Cannot take the argmax of an empty span.", nameof(values));
        int best = 0;
        T max = values[0];
        for (int i = 1; i < values.Length; i++)
            if (values[i] > max) { max = values[i]; best = i; }
        return best;
    }

    /// <summary>
    /// Writes the indices of the <paramref name="indices"/>.Length largest values into <paramref name="indices"/>, in
    /// descending order of value (lower index first on ties). O(n log k).
    /// </summary>
    public static void TopK(ReadOnlySpan<float> values, Span<int> indices) => TopK<float>(values, indices);

    /// <summary>As <see cref="TopK(ReadOnlySpan{float}, Span{int})"/> over a model's output row (float16 read in place).</summary>
    public static void TopK(OutputRow values, Span<int> indices)
    {
        if (values.IsHalf) TopK(values.Halves, indices);
        else TopK<float>(values.Floats, indices);
    }

    private static void TopK<T>(ReadOnlySpan<T> values, Span<int> indices) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        int k = indices.Length;
        if (k == 0) return;
        if (k > values.Length) throw new ArgumentOutOfRangeException(nameof(indices), k, $"Top-k of {k} exceeds the {values.Length} values.");
        // Min-heap of size k over (value, -index): the root is the weakest kept candidate.
        int size = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (size < k)
            {
                indices[size] = i;
                SiftUp(values, indices, size++);
            }
            else if (Better(values, i, indices[0]))
            {
                indices[0] = i;
                SiftDown(values, indices, 0, size);
            }
        }
        // Heap-sort ascending by weakness, giving descending order of strength.
        for (int end = size - 1; end > 0; end--)
        {
            (indices[0], indices[end]) = (indices[end], indices[0]);
            SiftDown(values, indices, 0, end);
        }
    }

    /// <summary>Candidate counts up to this are sampled through a small heap on the stack; larger ones (no top-k on a big vocabulary) through <see cref="LogitBuckets"/>.</summary>
    private const int HeapLimit = 1024;

    /// <summary>
    /// Samples an index from logits with temperature, top-k and top-p; temperature 0 is argmax. Candidates are taken in
    /// descending order of logit (lower index first on ties): the top k, then the smallest prefix whose probability
    /// reaches p, and the draw walks them in that order. No full sort and no allocation in proportion to the vocabulary:
    /// a 150k-token row costs two passes over it plus the sort of one small bucket.
    /// </summary>
    public static int Sample(ReadOnlySpan<float> logits, SamplingOptions options, Random random) => Sample<float>(logits, options, random);

    /// <summary>As <see cref="Sample(ReadOnlySpan{float}, SamplingOptions, Random)"/> over a model's output row (float16 read in place).</summary>
    public static int Sample(OutputRow logits, SamplingOptions options, Random random) =>
        logits.IsHalf ? Sample(logits.Halves, options, random) : Sample<float>(logits.Floats, options, random);

    private static int Sample<T>(ReadOnlySpan<T> logits, SamplingOptions options, Random random) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        if (options.Temperature == 0) return ArgMax(logits);
        if (logits.IsEmpty) throw new ArgumentException("Cannot sample from an empty span.", nameof(logits));
        int k = options.TopK > 0 ? Math.Min(options.TopK, logits.Length) : logits.Length;
        if (k > HeapLimit)
        {
            var buckets = LogitBuckets.For(logits, options.Temperature);
            buckets.KeepTop(k);
            if (options.TopP < 1.0) buckets.KeepNucleus(options.TopP);
            return buckets.Draw(random.NextDouble() * buckets.CandidateWeight());
        }
        Span<int> order = stackalloc int[k];
        TopK(logits, order);
        Span<double> probs = stackalloc double[k];
        double max = double.CreateTruncating(logits[order[0]]);
        double sum = 0;
        for (int i = 0; i < k; i++)
        {
            probs[i] = Math.Exp((float.CreateTruncating(logits[order[i]]) - max) / options.Temperature);
            sum += probs[i];
        }
        int n = k;
        if (options.TopP < 1.0)
        {
            double cumulative = 0;
            for (int i = 0; i < k; i++)
            {
                cumulative += probs[i] / sum;
                if (cumulative >= options.TopP) { n = i + 1; break; }
            }
            sum = 0;
            for (int i = 0; i < n; i++) sum += probs[i];
        }
        return order[Draw(probs[..n], sum, random)];
    }

    /// <summary>Samples an index from softmax(scores / temperature) over the given scores.</summary>
    public static int SampleSoftmax(ReadOnlySpan<float> scores, double temperature, Random random)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature must be above 0 for sampling.");
        Span<double> probs = scores.Length <= 1024 ? stackalloc double[scores.Length] : new double[scores.Length];
        float max = float.NegativeInfinity;
        foreach (var s in scores) if (s > max) max = s;
        double sum = 0;
        for (int i = 0; i < scores.Length; i++) { probs[i] = Math.Exp((scores[i] - max) / temperature); sum += probs[i]; }
        return Draw(probs, sum, random);
    }

    private static int Draw(ReadOnlySpan<double> weights, double sum, Random random)
    {
        double u = random.NextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            acc += weights[i];
            if (u < acc) return i;
        }
        return weights.Length - 1;
    }

    private static bool Better<T>(ReadOnlySpan<T> v, int a, int b) where T : struct, IBinaryFloatingPointIeee754<T> =>
        v[a] > v[b] || (v[a] == v[b] && a < b);

    private static void SiftUp<T>(ReadOnlySpan<T> v, Span<int> h, int i) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(v, h[parent], h[i])) break;
            (h[parent], h[i]) = (h[i], h[parent]);
            i = parent;
        }
    }

    private static void SiftDown<T>(ReadOnlySpan<T> v, Span<int> h, int i, int size) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, weakest = i;
            if (l < size && Better(v, h[weakest], h[l])) weakest = l;
            if (r < size && Better(v, h[weakest], h[r])) weakest = r;
            if (weakest == i) return;
            (h[weakest], h[i]) = (h[i], h[weakest]);
            i = weakest;
        }
    }
}
