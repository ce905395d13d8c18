namespace AlignedGen.Evaluation;

/// <summary>
/// ARGS's diversity metric (Khanov et al., from SimCTG's evaluation): the product over n = 2, 3, 4 of
/// (1 − repeated n-grams / total n-grams), where repeated = total − unique, i.e. the product of unique / total.
/// 1 means no n-gram repeats; values near 0 mean heavy repetition.
/// <para>
/// Conventions: every n-gram of the sequence counts (len − n + 1 of them; the SimCTG reference loop stops one early and
/// drops the last n-gram, which we do not copy). A sequence too short to hold an n-gram (fewer than n tokens, e.g. an
/// empty response) has nothing repeated at that n, so its factor is 1; an empty response therefore scores 1.
/// </para>
/// </summary>
public static class DiversityMetric
{
    /// <summary>The n-gram orders whose factors are multiplied: 2, 3 and 4.</summary>
    public static IReadOnlyList<int> Orders { get; } = new[] { 2, 3, 4 };

    /// <summary>Diversity of a text over its whitespace-separated words.</summary>
    public static double Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Compute(Words(text));
    }

    /// <summary>Diversity of a token sequence (words, token ids, ...), compared with the default equality of <typeparamref name="T"/>.</summary>
    public static double Compute<T>(IReadOnlyList<T> tokens) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(tokens);
        double product = 1;
        foreach (var n in Orders) product *= Factor(tokens, n);
        return product;
    }

    /// <summary>1 − repeated / total n-grams of order <paramref name="n"/> (= unique / total); 1 when the sequence has no n-gram.</summary>
    public static double Factor<T>(IReadOnlyList<T> tokens, int n) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, $"The n-gram order must be at least 1, got {n}. ARGS uses 2, 3 and 4.");
        int total = tokens.Count - n + 1;
        if (total <= 0) return 1;
        var unique = new HashSet<NGram<T>>();
        for (int start = 0; start < total; start++) unique.Add(new NGram<T>(tokens, start, n));
        return (double)unique.Count / total;
    }

    /// <summary>The whitespace-separated words of a text (any Unicode white space separates).</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A window of a list compared by value, without copying it.</summary>
    private readonly struct NGram<T>(IReadOnlyList<T> source, int start, int length) : IEquatable<NGram<T>> where T : notnull
    {
        public bool Equals(NGram<T> other)
        {
            var comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < length; i++)
                if (!comparer.Equals(source[start + i], other.Item(i))) return false;
            return true;
        }

        private T Item(int i) => source[start + i];

        public override bool Equals(object? obj) => obj is NGram<T> other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (int i = 0; i < length; i++) hash.Add(source[start + i]);
            return hash.ToHashCode();
        }
    }
}
