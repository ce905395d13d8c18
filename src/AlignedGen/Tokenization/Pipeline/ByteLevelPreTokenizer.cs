using System.Globalization;
using System.Text;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>
/// HF <c>ByteLevel</c> pre-tokenizer: optional prefix space, GPT-2's split pattern, then bytes to the byte-level alphabet.
/// The pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c> is matched by a
/// hand-written scanner over Unicode scalar values rather than .NET's Regex, because .NET matches \p{L} per UTF-16
/// code unit (letters outside the BMP would split differently from HF's Oniguruma) and the scanner is faster.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var text = piece.Text;
        if (addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        if (!useRegex)
        {
            if (text.Length > 0) output.Add(new PreToken(ByteLevelAlphabet.Encode(text), piece.AtStart));
            return;
        }
        var start = 0;
        while (start < text.Length)
        {
            var end = NextSplitEnd(text, start);
            output.Add(new PreToken(ByteLevelAlphabet.Encode(text.AsSpan(start, end - start)), piece.AtStart && start == 0));
            start = end;
        }
    }

    private enum CharClass { Letter, Number, Space, Other }

    private static (CharClass Class, int Length) Classify(string text, int i)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var len) != System.Buffers.OperationStatus.Done)
            return (CharClass.Other, 1);
        if (Rune.IsWhiteSpace(rune)) return (CharClass.Space, len);
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => (CharClass.Letter, len),
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => (CharClass.Number, len),
            _ => (CharClass.Other, len),
        };
    }

    private static int RunEnd(string text, int i, CharClass cls)
    {
        while (i < text.Length)
        {
            var (c, len) = Classify(text, i);
            if (c != cls) break;
            i += len;
        }
        return i;
    }

    private static readonly string[] Contractions = ["s", "t", "re", "ve", "m", "ll", "d"];

    /// <summary>End (exclusive) of the pattern match that starts at <paramref name="i"/>.</summary>
    internal static int NextSplitEnd(string text, int i)
    {
        if (text[i] == '\'')
        {
            foreach (var c in Contractions)
                if (i + 1 + c.Length <= text.Length && string.CompareOrdinal(text, i + 1, c, 0, c.Length) == 0) return i + 1 + c.Length;
        }
        var (cls, len) = Classify(text, i);
        if (text[i] == ' ' && i + 1 < text.Length)
        {
            var (nextCls, _) = Classify(text, i + 1);
            if (nextCls != CharClass.Space) return RunEnd(text, i + 1, nextCls);
        }
        if (cls != CharClass.Space) return RunEnd(text, i, cls);
        // \s+(?!\S) then \s+: a whitespace run, leaving its last char to the next word unless it ends the text.
        var end = i;
        var lastStart = i;
        while (end < text.Length)
        {
            var (c, l) = Classify(text, end);
            if (c != CharClass.Space) break;
            lastStart = end;
            end += l;
        }
        if (end == text.Length || lastStart == i) return end;
        return lastStart;
    }
}
