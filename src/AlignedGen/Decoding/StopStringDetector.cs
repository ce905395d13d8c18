using AlignedGen.Tokenization;

namespace AlignedGen.Decoding;

/// <summary>
/// Detects stop strings in generated text. Decodes only the tail of the generated ids that can contain a newly
/// completed stop string, so the check stays cheap per step.
/// </summary>
internal sealed class StopStringDetector
{
    private readonly ITextTokenizer _tokenizer;
    private readonly IReadOnlyList<string> _stops;
    private readonly int _tailTokens;

    public StopStringDetector(ITextTokenizer tokenizer, IReadOnlyList<string> stops)
    {
        _tokenizer = tokenizer;
        _stops = stops;
        // A token decodes to at least one character (or part of one), so a stop string of n characters spans at most
        // n + a few tokens (byte-fallback pieces of one character are up to 4 tokens).
        _tailTokens = stops.Count == 0 ? 0 : 4 * stops.Max(s => s.Length) + 4;
    }

    public bool Matches(IReadOnlyList<int> generated)
    {
        if (_stops.Count == 0 || generated.Count == 0) return false;
        int start = Math.Max(0, generated.Count - _tailTokens);
        var tail = _tokenizer.Decode(Slice(generated, start), skipSpecialTokens: false);
        foreach (var s in _stops)
            if (tail.Contains(s, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Cuts <paramref name="text"/> before the first stop string.</summary>
    public static string Cut(string text, IReadOnlyList<string> stops)
    {
        int cut = text.Length;
        foreach (var s in stops)
        {
            int i = text.IndexOf(s, StringComparison.Ordinal);
            if (i >= 0 && i < cut) cut = i;
        }
        return text[..cut];
    }

    private static IEnumerable<int> Slice(IReadOnlyList<int> list, int start)
    {
        for (int i = start; i < list.Count; i++) yield return list[i];
    }
}
