using System.Text;

namespace AlignedGen.Decoding;

/// <summary>
/// The words of a one-line strategy spec (<c>args w=1.5 k=10</c>): split on white space, with double quotes around text
/// that holds spaces (<c>mutation-prompt="Rewrite: {instruction}"</c>; <c>\"</c> and <c>\\</c> inside quotes).
/// </summary>
internal static class StrategySpecText
{
    /// <summary>The words of <paramref name="spec"/>, quotes removed; throws <see cref="FormatException"/> on an unclosed quote.</summary>
    public static List<string> Split(string spec)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, quoted = false;
        for (int i = 0; i < spec.Length; i++)
        {
            char c = spec[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < spec.Length && spec[i + 1] is '"' or '\\') word.Append(spec[++i]);
                else if (c == '"') quoted = false;
                else word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                inWord = true;
                if (c == '"') quoted = true;
                else word.Append(c);
            }
        }
        if (quoted) throw new FormatException("a double quote is not closed");
        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary><paramref name="text"/> as one spec word: as is when plain, else in double quotes with \" and \\ escaped.</summary>
    public static string Quote(string text)
        => text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '=')
            ? text
            : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
