namespace AlignedGen.ModelBuilding;

/// <summary>
/// An interpolated 4-gram language model over token ids, as lookup tables an ONNX graph can gather from
/// (<see cref="NGramDecoderBuilder"/>). Each document is read as [pad, pad, bos, ids..., eos]. Next-token
/// probabilities: bigram P2(n | c) with add-<c>smoothing</c> counts over the alphabet (tokens that ever come next);
/// P3(n | b c) = λ·ML + (1 − λ)·P2(n | c) and P4(n | a b c) = λ·ML + (1 − λ)·P3(n | b c), with λ = count / (count + 1)
/// of the context (Witten–Bell-like: a context seen often trusts its own counts). Logits are ln P; tokens outside the
/// alphabet get <see cref="BigramTable.NeverLogit"/>.
/// </summary>
public sealed class NGramTables
{
    /// <summary>Vocabulary size V.</summary>
    public required int Vocabulary { get; init; }

    /// <summary>Observed two-token contexts.</summary>
    public required int PairCount { get; init; }

    /// <summary>Observed three-token contexts.</summary>
    public required int TripleCount { get; init; }

    /// <summary>[V·V]: the pair row of context (b, c) at b·V + c, or −1 when (b, c) was never a context.</summary>
    public required long[] PairIndex { get; init; }

    /// <summary>[(PairCount + 1)·V]: the triple row of context (a, b, c) at pair(a, b)·V + c (pair = PairCount when (a, b) is unseen), or −1.</summary>
    public required long[] TripleIndex { get; init; }

    /// <summary>[(V + PairCount + TripleCount)·V] next-token logits: rows by last token, then by pair, then by triple.</summary>
    public required float[] Logits { get; init; }

    public int Rows => Vocabulary + PairCount + TripleCount;

    public static NGramTables FromSequences(IEnumerable<IReadOnlyList<int>> documents, int vocabulary, int bos, int eos, int pad, double smoothing = 0.1)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (!(smoothing > 0) || !double.IsFinite(smoothing))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Smoothing must be a positive count such as 0.1.");
        int v = vocabulary;
        var bigram = new Dictionary<int, Dictionary<int, int>>();
        var pairs = new Dictionary<(int, int), Dictionary<int, int>>();
        var triples = new Dictionary<(int, int, int), Dictionary<int, int>>();
        var pairOrder = new List<(int, int)>();
        var tripleOrder = new List<(int, int, int)>();
        var alphabet = new bool[v];
        alphabet[eos] = true;
        foreach (var document in documents)
        {
            var x = new List<int>(document.Count + 4) { pad, pad, bos };
            x.AddRange(document);
            x.Add(eos);
            for (var i = 3; i < x.Count; i++)
            {
                var next = x[i];
                if (next < 0 || next >= v) throw new ArgumentOutOfRangeException(nameof(documents), next, $"Token id {next} is outside the vocabulary 0..{v - 1}.");
                alphabet[next] = true;
                Count(bigram, x[i - 1], next, null);
                Count(pairs, (x[i - 2], x[i - 1]), next, pairOrder);
                Count(triples, (x[i - 3], x[i - 2], x[i - 1]), next, tripleOrder);
            }
        }
        var alphabetSize = alphabet.Count(a => a);
        var logits = new float[(v + pairOrder.Count + tripleOrder.Count) * v];
        var bigramP = new double[v][];
        for (var c = 0; c < v; c++)
        {
            var counts = bigram.GetValueOrDefault(c);
            double total = (counts?.Values.Sum() ?? 0) + smoothing * alphabetSize;
            bigramP[c] = new double[v];
            for (var n = 0; n < v; n++)
                bigramP[c][n] = alphabet[n] ? ((counts?.GetValueOrDefault(n) ?? 0) + smoothing) / total : 0;
            WriteRow(logits, c, v, bigramP[c]);
        }
        var pairIndex = new long[v * v];
        Array.Fill(pairIndex, -1L);
        var pairP = new double[pairOrder.Count][];
        for (var k = 0; k < pairOrder.Count; k++)
        {
            var (b, c) = pairOrder[k];
            pairIndex[b * v + c] = k;
            pairP[k] = Interpolate(pairs[(b, c)], bigramP[c]);
            WriteRow(logits, v + k, v, pairP[k]);
        }
        var tripleIndex = new long[(pairOrder.Count + 1) * v];
        Array.Fill(tripleIndex, -1L);
        for (var k = 0; k < tripleOrder.Count; k++)
        {
            var (a, b, c) = tripleOrder[k];
            var ab = pairIndex[a * v + b] is var p && p >= 0 ? p : pairOrder.Count;
            tripleIndex[ab * v + c] = k;
            WriteRow(logits, v + pairOrder.Count + k, v, Interpolate(triples[(a, b, c)], pairP[pairIndex[b * v + c]]));
        }
        return new NGramTables
        {
            Vocabulary = v,
            PairCount = pairOrder.Count,
            TripleCount = tripleOrder.Count,
            PairIndex = pairIndex,
            TripleIndex = tripleIndex,
            Logits = logits,
        };
    }

    private static void Count<TKey>(Dictionary<TKey, Dictionary<int, int>> table, TKey context, int next, List<TKey>? order) where TKey : notnull
    {
        if (!table.TryGetValue(context, out var counts))
        {
            table[context] = counts = new Dictionary<int, int>();
            order?.Add(context);
        }
        counts[next] = counts.GetValueOrDefault(next) + 1;
    }

    private static double[] Interpolate(Dictionary<int, int> counts, double[] lower)
    {
        double total = counts.Values.Sum(), lambda = total / (total + 1);
        var p = new double[lower.Length];
        for (var n = 0; n < p.Length; n++) p[n] = lambda * counts.GetValueOrDefault(n) / total + (1 - lambda) * lower[n];
        return p;
    }

    private static void WriteRow(float[] logits, int row, int v, double[] p)
    {
        for (var n = 0; n < v; n++) logits[row * v + n] = p[n] > 0 ? (float)Math.Log(p[n]) : BigramTable.NeverLogit;
    }
}
