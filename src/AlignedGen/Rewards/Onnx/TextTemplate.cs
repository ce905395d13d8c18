using System.Text;

namespace AlignedGen.Rewards;

/// <summary>Parses a template with <c>{prompt}</c> / <c>{response}</c> placeholders into a one-pass renderer.</summary>
internal static class TextTemplate
{
    private const string PromptPlaceholder = "{prompt}";
    private const string ResponsePlaceholder = "{response}";

    public static Func<string, string, string> Parse(string template, string paramName)
    {
        ArgumentNullException.ThrowIfNull(template, paramName);
        var pieces = new List<(string? Literal, bool IsPrompt)>();
        var sawResponse = false;
        var start = 0;
        while (start < template.Length)
        {
            var p = template.IndexOf(PromptPlaceholder, start, StringComparison.Ordinal);
            var r = template.IndexOf(ResponsePlaceholder, start, StringComparison.Ordinal);
            if (p < 0 && r < 0)
            {
                pieces.Add((template[start..], false));
                break;
            }
            var isPrompt = r < 0 || (p >= 0 && p < r);
            var at = isPrompt ? p : r;
            if (at > start) pieces.Add((template[start..at], false));
            pieces.Add((null, isPrompt));
            sawResponse |= !isPrompt;
            start = at + (isPrompt ? PromptPlaceholder.Length : ResponsePlaceholder.Length);
        }
        if (!sawResponse)
            throw new ArgumentException($"The template has no {ResponsePlaceholder} placeholder. Fix: write e.g. \"{PromptPlaceholder}\\n{ResponsePlaceholder}\".", paramName);
        var compiled = pieces.ToArray();
        return (prompt, response) =>
        {
            var sb = new StringBuilder(template.Length + prompt.Length + response.Length);
            foreach (var (literal, isPrompt) in compiled)
                sb.Append(literal ?? (isPrompt ? prompt : response));
            return sb.ToString();
        };
    }
}
