using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>Runs pre-tokenizers in order over all pieces (HF <c>Sequence</c>).</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var current = new List<PreToken> { piece };
        var next = new List<PreToken>();
        foreach (var step in steps)
        {
            next.Clear();
            foreach (var p in current) step.Split(p, next);
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }
}

/// <summary>
/// HF <c>Split</c>: a literal or regex pattern with a delimiter behaviour, optionally inverted. Regexes run on .NET's
/// engine, which matches UTF-16 code units: \p{L} does not match letters outside the BMP (HF's Oniguruma does).
/// </summary>
internal sealed class SplitPreTokenizer(Regex pattern, SplitBehavior behavior, bool invert) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var text = piece.Text;
        var spans = new List<SpanSplitter.Span>();
        var prev = 0;
        for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0) continue;
            if (prev < m.Index) spans.Add(new SpanSplitter.Span(prev, m.Index, invert));
            spans.Add(new SpanSplitter.Span(m.Index, m.Index + m.Length, !invert));
            prev = m.Index + m.Length;
        }
        if (prev < text.Length) spans.Add(new SpanSplitter.Span(prev, text.Length, invert));
        SpanSplitter.Emit(piece, spans, behavior, output);
    }
}

/// <summary>HF <c>Metaspace</c>: spaces to the replacement char, optional prefix (always / first / never), split before each replacement.</summary>
internal sealed class MetaspacePreTokenizer(char replacement, MetaspacePrependScheme scheme, bool split) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var text = piece.Text.Replace(' ', replacement);
        var prepend = scheme == MetaspacePrependScheme.Always || (scheme == MetaspacePrependScheme.First && piece.AtStart);
        if (prepend && !text.StartsWith(replacement)) text = replacement + text;
        var replaced = new PreToken(text, piece.AtStart);
        if (!split)
        {
            if (text.Length > 0) output.Add(replaced);
            return;
        }
        var spans = SpanSplitter.CharMatches(text, r => r.Value == replacement);
        SpanSplitter.Emit(replaced, spans, SplitBehavior.MergedWithNext, output);
    }
}

/// <summary>When Metaspace adds its prefix.</summary>
internal enum MetaspacePrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>HF <c>BertPreTokenizer</c>: split on whitespace (removed) and isolate each punctuation char.</summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var words = new List<PreToken>();
        SpanSplitter.Emit(piece, SpanSplitter.CharMatches(piece.Text, TextHelpers.IsWhitespace), SplitBehavior.Removed, words);
        foreach (var word in words)
            SpanSplitter.Emit(word, SpanSplitter.CharMatches(word.Text, TextHelpers.IsBertPunctuation), SplitBehavior.Isolated, output);
    }
}

/// <summary>HF <c>WhitespaceSplit</c>: split on whitespace, removing it.</summary>
internal sealed class WhitespaceSplitPreTokenizer : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output) =>
        SpanSplitter.Emit(piece, SpanSplitter.CharMatches(piece.Text, TextHelpers.IsWhitespace), SplitBehavior.Removed, output);
}

/// <summary>HF <c>Whitespace</c>: keep runs of \w and runs of [^\w\s].</summary>
internal sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private static readonly Regex Words = new(@"\w+|[^\w\s]+", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private readonly SplitPreTokenizer inner = new(Words, SplitBehavior.Removed, invert: true);

    public void Split(PreToken piece, List<PreToken> output) => inner.Split(piece, output);
}

/// <summary>HF <c>Digits</c>: isolate digits, each alone or as runs.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output) =>
        SpanSplitter.Emit(piece, SpanSplitter.CharMatches(piece.Text, IsNumeric),
            individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, output);

    private static bool IsNumeric(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}

/// <summary>HF <c>Punctuation</c>: split around punctuation chars.</summary>
internal sealed class PunctuationPreTokenizer(SplitBehavior behavior) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output) =>
        SpanSplitter.Emit(piece, SpanSplitter.CharMatches(piece.Text, TextHelpers.IsBertPunctuation), behavior, output);
}
