using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>Runs normalizers in order (HF <c>Sequence</c>).</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<ITextNormalizer> steps) : ITextNormalizer
{
    public string Normalize(string text)
    {
        foreach (var step in steps) text = step.Normalize(text);
        return text;
    }
}

/// <summary>Prepends a string to non-empty text (HF <c>Prepend</c>, e.g. SentencePiece's "▁" dummy prefix).</summary>
internal sealed class PrependNormalizer(string prefix) : ITextNormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

/// <summary>Replaces a literal string or a regex (HF <c>Replace</c>).</summary>
internal sealed class ReplaceNormalizer : ITextNormalizer
{
    private readonly string? literal;
    private readonly Regex? regex;
    private readonly string content;

    public ReplaceNormalizer(string? literal, Regex? regex, string content)
    {
        this.literal = literal;
        this.regex = regex;
        this.content = content;
    }

    public string Normalize(string text) => Apply(text);

    /// <summary>The replacement, shared with the Replace decoder.</summary>
    public string Apply(string text)
    {
        if (literal is not null) return literal.Length == 0 ? text : text.Replace(literal, content, StringComparison.Ordinal);
        return regex!.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
    }
}

/// <summary>Unicode normalization forms (HF <c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>).</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : ITextNormalizer
{
    public string Normalize(string text) => text.Normalize(form);
}

/// <summary>Lower-cases with Unicode full case mapping per scalar value (HF <c>Lowercase</c>, Rust <c>char::to_lowercase</c>).</summary>
internal sealed class LowercaseNormalizer : ITextNormalizer
{
    public string Normalize(string text) => TextHelpers.Lowercase(text);
}

/// <summary>Removes non-spacing marks (HF <c>StripAccents</c>; used after NFD).</summary>
internal sealed class StripAccentsNormalizer : ITextNormalizer
{
    public string Normalize(string text) => TextHelpers.RemoveNonSpacingMarks(text);
}

/// <summary>Trims Unicode whitespace at either end (HF <c>Strip</c>).</summary>
internal sealed class StripNormalizer(bool left, bool right) : ITextNormalizer
{
    public string Normalize(string text)
    {
        if (left) text = text.TrimStart();
        if (right) text = text.TrimEnd();
        return text;
    }
}

/// <summary>
/// HF <c>BertNormalizer</c>: drop NUL, U+FFFD and control chars (Cc/Cf/Cs/Co/Cn except \t\n\r), whitespace to ' ',
/// spaces around CJK ideographs, optional accent stripping (defaults to <c>lowercase</c>) then lower-casing.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : ITextNormalizer
{
    public string Normalize(string text)
    {
        if (cleanText || handleChineseChars)
        {
            var sb = new StringBuilder(text.Length + 8);
            foreach (var rune in text.EnumerateRunes())
            {
                if (cleanText)
                {
                    if (rune.Value == 0 || rune.Value == 0xFFFD || TextHelpers.IsBertControl(rune)) continue;
                    if (TextHelpers.IsBertWhitespace(rune)) { sb.Append(' '); continue; }
                }
                if (handleChineseChars && TextHelpers.IsChineseChar(rune.Value))
                {
                    sb.Append(' ');
                    TextHelpers.AppendRune(sb, rune);
                    sb.Append(' ');
                    continue;
                }
                TextHelpers.AppendRune(sb, rune);
            }
            text = sb.ToString();
        }
        if (stripAccents ?? lowercase) text = TextHelpers.RemoveNonSpacingMarks(text.Normalize(NormalizationForm.FormD));
        if (lowercase) text = TextHelpers.Lowercase(text);
        return text;
    }
}

/// <summary>Character classes and case mapping shared by normalizers and pre-tokenizers, following Rust's definitions.</summary>
internal static class TextHelpers
{
    /// <summary>Rust <c>char::is_whitespace</c> (Unicode White_Space).</summary>
    public static bool IsWhitespace(Rune r) => Rune.IsWhiteSpace(r);

    public static bool IsBertWhitespace(Rune r) => r.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(r);

    /// <summary>BERT's control test: categories Cc, Cf, Cs, Co, Cn, except \t \n \r.</summary>
    public static bool IsBertControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r') return false;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>BERT punctuation: ASCII punctuation or any Unicode P* category.</summary>
    public static bool IsBertPunctuation(Rune r)
    {
        var v = r.Value;
        if (v is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    public static bool IsChineseChar(int c) =>
        c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    public static string RemoveNonSpacingMarks(string text)
    {
        StringBuilder? sb = null;
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var mark = Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark;
            if (mark && sb is null) sb = new StringBuilder(text, 0, i, text.Length);
            if (!mark && sb is not null) AppendRune(sb, rune);
            i += rune.Utf16SequenceLength;
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>Appends a scalar value without allocating.</summary>
    public static void AppendRune(StringBuilder sb, Rune rune)
    {
        if (rune.IsBmp) { sb.Append((char)rune.Value); return; }
        Span<char> pair = stackalloc char[2];
        sb.Append(pair[..rune.EncodeToUtf16(pair)]);
    }

    /// <summary>Per-scalar lower-casing; U+0130 maps to "i\u0307" as Rust's full mapping does.</summary>
    public static string Lowercase(string text)
    {
        var needs = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130 || Rune.ToLowerInvariant(rune) != rune) { needs = true; break; }
        }
        if (!needs) return text;
        var sb = new StringBuilder(text.Length + 2);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130) sb.Append("i\u0307");
            else AppendRune(sb, Rune.ToLowerInvariant(rune));
        }
        return sb.ToString();
    }
}
