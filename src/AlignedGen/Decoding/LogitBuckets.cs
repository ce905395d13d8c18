using System.Numerics;

namespace AlignedGen.Decoding;

/// <summary>
/// Walks a row of logits in descending order (larger value first, lower index first on ties) without sorting it:
/// values go into buckets by value, the walk skips whole buckets by their counts or weight sums, and only the one bucket
/// where the walk stops is sorted. Answers what sampling over a large vocabulary needs (the k-th largest, the top-p
/// cut, the token where a cumulative weight crosses a draw) in O(vocabulary) plus one small sort, and keeps its buffers
/// per thread, so a step allocates nothing in proportion to the vocabulary.
/// </summary>
internal sealed class LogitBuckets
{
    private const int BucketCount = 4096;
    private const ushort Excluded = ushort.MaxValue;

    [ThreadStatic] private static LogitBuckets? _perThread;

    private double[] _weights = [];
    private ushort[] _bucket = [];
    private int[] _members = [];
    private readonly double[] _bucketWeight = new double[BucketCount];
    private readonly int[] _bucketCount = new int[BucketCount];
    private int _length;
    private int _last;            // buckets after this one hold no candidates
    private float[] _values = [];

    /// <summary>This thread's instance, filled with <paramref name="logits"/> (float or float16) and weights exp((logit − max) / temperature).</summary>
    public static LogitBuckets For<T>(ReadOnlySpan<T> logits, double temperature) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        var buckets = _perThread ??= new LogitBuckets();
        buckets.Fill(logits, temperature);
        return buckets;
    }

    /// <summary>exp((logit − max) / temperature) of token <paramref name="i"/> (0 for non-finite logits).</summary>
    public double Weight(int i) => _weights[i];

    /// <summary>Sum of the weights of the tokens still candidates.</summary>
    public double CandidateWeight()
    {
        double sum = 0;
        for (int b = 0; b <= _last; b++) sum += _bucketWeight[b];
        return sum;
    }

    /// <summary>Keeps only the <paramref name="k"/> largest logits (ties to the lower index), as a full sort would.</summary>
    public void KeepTop(int k)
    {
        if (k >= _length) return;
        int seen = 0, b = 0;
        while (seen + _bucketCount[b] < k) seen += _bucketCount[b++];
        CutInside(b, k - seen, count: true, target: 0);
    }

    /// <summary>Keeps the smallest descending prefix whose weight reaches <paramref name="p"/> of the candidates' weight (nucleus sampling).</summary>
    public void KeepNucleus(double p)
    {
        double target = p * CandidateWeight(), seen = 0;
        int b = 0;
        while (b < _last && seen + _bucketWeight[b] < target) seen += _bucketWeight[b++];
        CutInside(b, 0, count: false, target: target - seen);
    }

    /// <summary>The first candidate, in descending order, at which the cumulative weight exceeds <paramref name="u"/> (the last candidate if none does).</summary>
    public int Draw(double u)
    {
        double seen = 0;
        int b = 0;
        while (b < _last && seen + _bucketWeight[b] <= u) seen += _bucketWeight[b++];
        int n = SortedMembers(b);
        double acc = seen;
        for (int j = 0; j < n; j++)
        {
            acc += _weights[_members[j]];
            if (u < acc) return _members[j];
        }
        return n > 0 ? _members[n - 1] : LastCandidate();
    }

    private void Fill<T>(ReadOnlySpan<T> source, double temperature) where T : struct, IBinaryFloatingPointIeee754<T>
    {
        _length = source.Length;
        if (_weights.Length < _length)
        {
            _weights = new double[_length];
            _bucket = new ushort[_length];
            _values = new float[_length];
        }
        if (typeof(T) == typeof(float)) System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(source).CopyTo(_values);
        else for (int i = 0; i < _length; i++) _values[i] = float.CreateTruncating(source[i]);
        var logits = _values.AsSpan(0, _length);
        float max = float.NegativeInfinity, min = float.PositiveInfinity;
        foreach (var v in logits)
        {
            if (!float.IsFinite(v)) continue;
            if (v > max) max = v;
            if (v < min) min = v;
        }
        Array.Clear(_bucketWeight);
        Array.Clear(_bucketCount);
        double scale = max > min ? (BucketCount - 1) / ((double)max - min) : 0;
        for (int i = 0; i < _length; i++)
        {
            float v = logits[i];
            bool finite = float.IsFinite(v);
            int b = finite ? (int)((max - (double)v) * scale) : BucketCount - 1;
            _bucket[i] = (ushort)b;
            double w = finite ? Math.Exp((v - (double)max) / temperature) : 0;
            _weights[i] = w;
            _bucketWeight[b] += w;
            _bucketCount[b]++;
        }
        _last = BucketCount - 1;
    }

    /// <summary>
    /// Bucket <paramref name="b"/> holds the cut: keeps its first <paramref name="keep"/> members in descending order
    /// (<paramref name="count"/>), or its members up to the one where their cumulative weight reaches <paramref name="target"/>;
    /// drops the rest and every later bucket.
    /// </summary>
    private void CutInside(int b, int keep, bool count, double target)
    {
        int n = SortedMembers(b);
        int kept = 0;
        if (count) kept = Math.Min(keep, n);
        else
        {
            double acc = 0;
            while (kept < n)
            {
                acc += _weights[_members[kept++]];
                if (acc >= target) break;
            }
            kept = Math.Max(kept, Math.Min(1, n));
        }
        double weight = 0;
        for (int j = 0; j < n; j++)
        {
            if (j < kept) weight += _weights[_members[j]];
            else _bucket[_members[j]] = Excluded;
        }
        _bucketWeight[b] = weight;
        _bucketCount[b] = kept;
        for (int later = b + 1; later <= _last; later++) { _bucketWeight[later] = 0; _bucketCount[later] = 0; }
        _last = b;
    }

    /// <summary>Gathers the candidates of bucket <paramref name="b"/> into the member buffer, sorted descending (lower index first on ties); returns their number.</summary>
    private int SortedMembers(int b)
    {
        if (_members.Length < _bucketCount[b]) _members = new int[Math.Max(_bucketCount[b], 2 * _members.Length)];
        int n = 0;
        for (int i = 0; i < _length && n < _bucketCount[b]; i++)
            if (_bucket[i] == b) _members[n++] = i;
        _members.AsSpan(0, n).Sort(new Descending(_values));
        return n;
    }

    /// <summary>Larger value first, lower index first on ties (a struct, so sorting allocates nothing).</summary>
    private readonly struct Descending(float[] values) : IComparer<int>
    {
        public int Compare(int x, int y) => values[x] != values[y] ? values[y].CompareTo(values[x]) : x.CompareTo(y);
    }

    private int LastCandidate()
    {
        for (int b = _last; b >= 0; b--)
        {
            int n = SortedMembers(b);
            if (n > 0) return _members[n - 1];
        }
        return 0;
    }
}
