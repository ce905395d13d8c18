namespace AlignedGen.Tokenization.Pipeline;

/// <summary>How delimiters found by a pattern are kept (HF <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>HF <c>NormalizedString::split</c>: turns (start, end, isMatch) spans covering a text into pieces.</summary>
internal static class SpanSplitter
{
    public readonly record struct Span(int Start, int End, bool IsMatch);

    /// <summary>Applies <paramref name="behavior"/> to <paramref name="spans"/> and appends the non-empty pieces.</summary>
    public static void Emit(PreToken piece, List<Span> spans, SplitBehavior behavior, List<PreToken> output)
    {
        var text = piece.Text;
        var kept = new List<(int Start, int End)>(spans.Count);
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var s in spans) kept.Add((s.Start, s.End));
                break;
            case SplitBehavior.Removed:
                foreach (var s in spans) if (!s.IsMatch) kept.Add((s.Start, s.End));
                break;
            case SplitBehavior.Contiguous:
            {
                var previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.IsMatch == previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithPrevious:
            {
                var previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.IsMatch && !previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                var previousMatch = false;
                for (var i = spans.Count - 1; i >= 0; i--)
                {
                    var s = spans[i];
                    if (s.IsMatch && !previousMatch && kept.Count > 0) kept[^1] = (s.Start, kept[^1].End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                kept.Reverse();
                break;
            }
        }
        foreach (var (start, end) in kept)
        {
            if (end > start) output.Add(new PreToken(text[start..end], piece.AtStart && start == 0));
        }
    }

    /// <summary>Spans for every char satisfying <paramref name="isDelimiter"/> (each such char is one match).</summary>
    public static List<Span> CharMatches(string text, Func<System.Text.Rune, bool> isDelimiter, bool invert = false)
    {
        var spans = new List<Span>();
        var prev = 0;
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var len = rune.Utf16SequenceLength;
            if (isDelimiter(rune))
            {
                if (prev < i) spans.Add(new Span(prev, i, invert));
                spans.Add(new Span(i, i + len, !invert));
                prev = i + len;
            }
            i += len;
        }
        if (prev < text.Length) spans.Add(new Span(prev, text.Length, invert));
        return spans;
    }
}
