using System.Text;
using System.Text.RegularExpressions;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>Builds .NET regexes from tokenizer.json patterns (Oniguruma syntax).</summary>
internal static class RegexPatterns
{
    /// <summary>Compiles a pattern; possessive quantifiers (<c>X?+ X*+ X++ X{n}+</c>), which .NET lacks, become atomic groups.</summary>
    public static Regex Create(string pattern) =>
        new(ConvertPossessive(pattern), RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static Regex Literal(string text) => new(Regex.Escape(text), RegexOptions.CultureInvariant);

    internal static string ConvertPossessive(string pattern)
    {
        if (!pattern.Contains("+", StringComparison.Ordinal)) return pattern;
        var sb = new StringBuilder(pattern.Length + 16);
        var atomStarts = new Stack<int>();
        var lastAtomStart = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                var len = 2;
                if (i + 1 < pattern.Length && pattern[i + 1] is 'p' or 'P' && i + 2 < pattern.Length && pattern[i + 2] == '{')
                    len = pattern.IndexOf('}', i) - i + 1;
                lastAtomStart = sb.Length;
                sb.Append(pattern, i, len);
                i += len;
                continue;
            }
            if (c == '[')
            {
                var end = ClassEnd(pattern, i);
                lastAtomStart = sb.Length;
                sb.Append(pattern, i, end - i + 1);
                i = end + 1;
                continue;
            }
            if (c == '(')
            {
                atomStarts.Push(sb.Length);
                sb.Append(c);
                i++;
                continue;
            }
            if (c == ')')
            {
                sb.Append(c);
                lastAtomStart = atomStarts.Count > 0 ? atomStarts.Pop() : -1;
                i++;
                continue;
            }
            if (c is '?' or '*' or '+' or '{' && lastAtomStart >= 0 && !(c == '?' && sb.Length > 0 && sb[^1] == '('))
            {
                var quantEnd = i;
                if (c == '{')
                {
                    var close = pattern.IndexOf('}', i);
                    if (close < 0) { sb.Append(c); i++; continue; }
                    quantEnd = close;
                }
                var quantifier = pattern.Substring(i, quantEnd - i + 1);
                i = quantEnd + 1;
                if (i < pattern.Length && pattern[i] == '+')
                {
                    var atom = sb.ToString(lastAtomStart, sb.Length - lastAtomStart);
                    sb.Length = lastAtomStart;
                    sb.Append("(?>").Append(atom).Append(quantifier).Append(')');
                    i++;
                }
                else
                {
                    sb.Append(quantifier);
                    if (i < pattern.Length && pattern[i] == '?') { sb.Append('?'); i++; }
                }
                lastAtomStart = -1;
                continue;
            }
            lastAtomStart = c is '|' or '^' or '$' ? -1 : sb.Length;
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static int ClassEnd(string pattern, int start)
    {
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^') i++;
        if (i < pattern.Length && pattern[i] == ']') i++;
        var depth = 0;
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') { i++; continue; }
            if (pattern[i] == '[') depth++;
            else if (pattern[i] == ']')
            {
                if (depth == 0) return i;
                depth--;
            }
        }
        throw new FormatException($"unterminated character class in regex '{pattern}'");
    }
}
