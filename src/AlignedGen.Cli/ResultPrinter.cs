using System.Globalization;
using AlignedGen.Decoding;

namespace AlignedGen.Cli;

/// <summary>Prints comparison tables and responses.</summary>
public static class ResultPrinter
{
    public static void Summary(TextWriter output, IReadOnlyList<(string Strategy, IReadOnlyList<GenerationResult> Results)> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"| {"strategy",-14} | {"mean reward",11} | {"tokens/prompt",13} | {"LM calls/prompt",15} | {"RM calls/prompt",15} | {"ms/prompt",9} |");
        output.WriteLine($"|{new string('-', 16)}|{new string('-', 13)}|{new string('-', 15)}|{new string('-', 17)}|{new string('-', 17)}|{new string('-', 11)}|");
        foreach (var (strategy, results) in runs)
        {
            string reward = results.All(r => r.Reward is not null) ? results.Average(r => r.Reward!.Value).ToString("F4", inv) : "-";
            output.WriteLine(string.Format(inv, "| {0,-14} | {1,11} | {2,13:F1} | {3,15:F1} | {4,15:F1} | {5,9:F1} |",
                strategy, reward, results.Average(r => r.TokenIds.Count), results.Average(r => r.Cost.LmCalls),
                results.Average(r => r.Cost.RewardCalls), results.Average(r => r.Cost.Elapsed.TotalMilliseconds)));
        }
    }

    public static string OneLine(string text, int max = 100)
    {
        var flat = text.Replace("\r", " ").Replace("\n", " ").Trim();
        return flat.Length <= max ? flat : flat[..(max - 3)] + "...";
    }
}
