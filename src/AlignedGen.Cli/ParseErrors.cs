using System.CommandLine;

namespace AlignedGen.Cli;

/// <summary>
/// Writes a failed parse as the dotnet and cargo CLIs do: one "error:" line per problem, a "did you mean" for a
/// misspelled option or command, and where to find the usage. (System.CommandLine's own report also suggests
/// alternatives for the misspelled option's value, which reads as noise.)
/// </summary>
public static class ParseErrors
{
    private const string Unrecognized = "Unrecognized command or argument";

    public static void Write(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (token.StartsWith('-'))
            {
                error.WriteLine($"error: unknown option '{token}' for '{CommandPath(parse)}'.{Suggest(token, OptionNames(parse))}");
                // The word after an unknown option is most likely its value: one error is enough.
                if (i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith('-')) i++;
            }
            else if (command is RootCommand)
                error.WriteLine($"error: unknown command '{token}'.{Suggest(token, command.Subcommands.Select(c => c.Name))}");
            else
                error.WriteLine($"error: unexpected argument '{token}' for '{CommandPath(parse)}'.");
        }
        foreach (var e in parse.Errors)
        {
            if (e.Message.StartsWith(Unrecognized, StringComparison.Ordinal)) continue;
            error.WriteLine("error: " + e.Message);
        }
        error.WriteLine($"Run '{CommandPath(parse)} --help' for usage.");
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "aligngen" : r.Command.Name);
        return string.Join(" ", names);
    }

    private static IEnumerable<string> OptionNames(ParseResult parse)
    {
        var options = parse.CommandResult.Command.Options.AsEnumerable();
        for (var r = parse.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            options = options.Concat(r.Command.Options.Where(o => o.Recursive));
        return options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct();
    }

    /// <summary>" Did you mean '--x'?" for the closest name within a few edits, else "".</summary>
    public static string Suggest(string typed, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(typed, c)))
            .Where(c => c.Distance <= Math.Max(2, typed.Length / 3) || c.Name.StartsWith(typed, StringComparison.Ordinal))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $" Did you mean '{best}'?";
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
