using System.Text;

namespace AlignedGen.ModelBuilding;

/// <summary>Bigram logit tables for <see cref="TinyDecoderOptions"/>: counted from a text, or a fixed successor chain.</summary>
public static class BigramTable
{
    /// <summary>Logit of a next token that never follows anything in the corpus (bytes absent from it, &lt;s&gt;, &lt;pad&gt;).</summary>
    public const float NeverLogit = -30f;

    /// <summary>
    /// Byte-level bigram log-probabilities of a text ([<see cref="ByteLevelVocabulary.Size"/>]²). Each non-empty line is
    /// one document: &lt;s&gt; + its UTF-8 bytes + &lt;/s&gt;. Row t is ln P(next | t) over the corpus alphabet (bytes that
    /// occur plus &lt;/s&gt;) with add-<paramref name="smoothing"/> counts; other columns get <see cref="NeverLogit"/>.
    /// Rows with no counts (&lt;/s&gt;, &lt;pad&gt;, absent bytes) are uniform over the alphabet.
    /// </summary>
    public static float[,] FromCorpus(string text, double smoothing = 0.1)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(smoothing > 0) || !double.IsFinite(smoothing))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Smoothing must be a positive count such as 0.1.");
        const int v = ByteLevelVocabulary.Size;
        var counts = new double[v, v];
        var inAlphabet = new bool[v];
        inAlphabet[ByteLevelVocabulary.EosId] = true;
        var documents = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0) continue;
            documents++;
            var previous = ByteLevelVocabulary.BosId;
            foreach (var b in Encoding.UTF8.GetBytes(line))
            {
                inAlphabet[b] = true;
                counts[previous, b]++;
                previous = b;
            }
            counts[previous, ByteLevelVocabulary.EosId]++;
        }
        if (documents == 0) throw new ArgumentException("The corpus has no non-empty line to count.", nameof(text));

        var table = new float[v, v];
        for (var row = 0; row < v; row++)
        {
            double total = 0;
            for (var col = 0; col < v; col++)
                if (inAlphabet[col]) total += counts[row, col] + smoothing;
            for (var col = 0; col < v; col++)
                table[row, col] = inAlphabet[col] ? (float)Math.Log((counts[row, col] + smoothing) / total) : NeverLogit;
        }
        return table;
    }

    /// <summary>
    /// A chain table: row t gives <paramref name="preferredLogit"/> to <paramref name="successors"/>[t] and
    /// <paramref name="otherLogit"/> to every other token, so greedy decoding from t visits successors[t], successors[successors[t]], ...
    /// </summary>
    public static float[,] FromSuccessors(IReadOnlyList<int> successors, float preferredLogit = 5f, float otherLogit = 0f)
    {
        ArgumentNullException.ThrowIfNull(successors);
        var v = successors.Count;
        if (v < 2) throw new ArgumentException("Give one successor per token id (vocab >= 2).", nameof(successors));
        if (!(preferredLogit > otherLogit))
            throw new ArgumentOutOfRangeException(nameof(preferredLogit), preferredLogit, $"preferredLogit must exceed otherLogit ({otherLogit}).");
        var table = new float[v, v];
        for (var t = 0; t < v; t++)
        {
            if (successors[t] < 0 || successors[t] >= v)
                throw new ArgumentOutOfRangeException(nameof(successors), successors[t], $"successors[{t}] must be in 0..{v - 1}.");
            for (var next = 0; next < v; next++) table[t, next] = next == successors[t] ? preferredLogit : otherLogit;
        }
        return table;
    }
}
