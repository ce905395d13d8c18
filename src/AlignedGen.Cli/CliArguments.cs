using System.Globalization;

namespace AlignedGen.Cli;

/// <summary>Parsed command line: a command, repeated and single options.</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options;

    /// <summary>Options that take no value (their presence means "true").</summary>
    public static IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal) { "--no-fluency", "--no-coherence", "--no-report", "--allow-cpu-fallback" };

    private CliArguments(string command, Dictionary<string, List<string>> options)
    {
        Command = command;
        _options = options;
    }

    public string Command { get; }

    public static CliArguments Parse(string[] args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string command = "demo";
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)) command = args[i++];
        for (; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{name}'. Options start with '--' (see 'aligngen help').");
            if (Flags.Contains(name))
            {
                if (!options.TryGetValue(name, out var set)) options[name] = set = new List<string>();
                set.Add("true");
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"Option '{name}' needs a value.");
            if (!options.TryGetValue(name, out var list)) options[name] = list = new List<string>();
            list.Add(args[++i]);
        }
        return new CliArguments(command, options);
    }

    /// <summary>Whether a flag (see <see cref="Flags"/>) was given.</summary>
    public bool HasFlag(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    public int GetInt(string name, int fallback)
    {
        var v = Get(name);
        if (v is null) return fallback;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i : throw new ArgumentException($"Option '{name}' must be a whole number, got '{v}'.");
    }

    public int? GetIntOrNull(string name) => Get(name) is null ? null : GetInt(name, 0);

    public double GetDouble(string name, double fallback)
    {
        var v = Get(name);
        if (v is null) return fallback;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d : throw new ArgumentException($"Option '{name}' must be a number, got '{v}'.");
    }
}
