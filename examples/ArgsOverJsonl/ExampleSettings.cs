namespace ArgsOverJsonl;

/// <summary>The example's command line: input and output files, the LM folder (default: the built-in demo model) and ARGS settings.</summary>
public sealed record ExampleSettings(string Input, string Output)
{
    /// <summary>LM folder; null = AlignedGen's tiny demo model (built into the temp folder on first use).</summary>
    public string? ModelFolder { get; init; }

    /// <summary>Column of the JSONL file that holds the prompt.</summary>
    public string PromptColumn { get; init; } = "prompt";

    /// <summary>New tokens per prompt at most.</summary>
    public int MaxNewTokens { get; init; } = 32;

    /// <summary>ARGS candidates per step.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>ARGS reward weight.</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>Prompts decoded together.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Parses "INPUT.jsonl OUTPUT.(jsonl|csv|parquet) [--model DIR] [--prompt-column NAME] [--max-new-tokens N] [--top-k K] [--weight W] [--batch-size B]".</summary>
    public static ExampleSettings Parse(string[] args)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"Option {args[i]} needs a value.", nameof(args));
                named[args[i]] = args[++i];
            }
            else positional.Add(args[i]);
        }
        if (positional.Count != 2) throw new ArgumentException("Pass an input JSONL file and an output file.", nameof(args));
        var known = new[] { "--model", "--prompt-column", "--max-new-tokens", "--top-k", "--weight", "--batch-size" };
        var unknown = named.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null) throw new ArgumentException($"Unknown option {unknown}; use {string.Join(", ", known)}.", nameof(args));
        var settings = new ExampleSettings(positional[0], positional[1]);
        string? Get(string key) => named.TryGetValue(key, out var v) ? v : null;
        return settings with
        {
            ModelFolder = Get("--model"),
            PromptColumn = Get("--prompt-column") ?? settings.PromptColumn,
            MaxNewTokens = Get("--max-new-tokens") is { } m ? int.Parse(m, System.Globalization.CultureInfo.InvariantCulture) : settings.MaxNewTokens,
            TopK = Get("--top-k") is { } k ? int.Parse(k, System.Globalization.CultureInfo.InvariantCulture) : settings.TopK,
            Weight = Get("--weight") is { } w ? double.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : settings.Weight,
            BatchSize = Get("--batch-size") is { } b ? int.Parse(b, System.Globalization.CultureInfo.InvariantCulture) : settings.BatchSize,
        };
    }
}
