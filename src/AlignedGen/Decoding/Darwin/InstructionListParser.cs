using System.Text.RegularExpressions;

namespace AlignedGen.Decoding;

/// <summary>
/// Reads the numbered list a model writes when asked for mutated instructions: lines "1. text" or "1) text",
/// numbered 1, 2, 3, ... in order. Text before the list is skipped; blank lines inside it are allowed; the first other
/// line ends it (a model that goes on with another few-shot block does not add items).
/// </summary>
internal static partial class InstructionListParser
{
    [GeneratedRegex(@"^\s*(\d{1,3})\s*[.)]\s*(.*?)\s*$")]
    private static partial Regex NumberedLine();

    /// <summary>The items of the first numbered list in <paramref name="text"/> (empty when there is none).</summary>
    public static IReadOnlyList<string> ParseNumberedList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = new List<string>();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var match = NumberedLine().Match(raw);
            bool next = match.Success && int.TryParse(match.Groups[1].Value, out int n) && n == items.Count + 1 && Clean(match.Groups[2].Value).Length > 0;
            if (next)
            {
                items.Add(Clean(match.Groups[2].Value));
                continue;
            }
            if (items.Count == 0 || raw.Trim().Length == 0) continue;
            break;
        }
        return items;
    }

    /// <summary>
    /// True when the first numbered list has exactly <paramref name="expected"/> items; otherwise false with
    /// <paramref name="problem"/> saying what was found.
    /// </summary>
    public static bool TryParse(string text, int expected, out IReadOnlyList<string> instructions, out string? problem)
    {
        if (expected < 1) throw new ArgumentOutOfRangeException(nameof(expected), expected, "Expect at least one instruction.");
        var items = ParseNumberedList(text);
        if (items.Count == expected)
        {
            instructions = items;
            problem = null;
            return true;
        }
        instructions = Array.Empty<string>();
        problem = items.Count == 0
            ? $"the model wrote no numbered list (expected {expected} items \"1. ...\")"
            : $"the model's numbered list has {items.Count} items, not {expected}";
        return false;
    }

    private static string Clean(string item)
    {
        item = item.Trim();
        if (item.Length >= 2 && item[0] == '"' && item[^1] == '"') item = item[1..^1].Trim();
        return item;
    }
}
