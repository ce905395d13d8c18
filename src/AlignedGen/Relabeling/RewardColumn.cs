using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>A reward source and the output column its scores go to.</summary>
public sealed record RewardColumn
{
    /// <summary>Scores from <paramref name="source"/> go to column <paramref name="columnName"/>.</summary>
    public RewardColumn(IRewardSource source, string columnName)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        if (string.IsNullOrWhiteSpace(columnName))
            throw new ArgumentException($"Reward column name for source '{source.Name}' is blank. Fix: name the output column, e.g. \"reward\".", nameof(columnName));
        ColumnName = columnName;
    }

    /// <summary>The reward source.</summary>
    public IRewardSource Source { get; }

    /// <summary>The output column name.</summary>
    public string ColumnName { get; }

    /// <summary>Columns for the sources: "reward" for a single source, "reward_&lt;name&gt;" for several.</summary>
    public static IReadOnlyList<RewardColumn> For(params IRewardSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0)
            throw new ArgumentException("No reward sources given. Fix: pass at least one IRewardSource.", nameof(sources));
        if (sources.Length == 1) return new[] { new RewardColumn(sources[0], "reward") };
        return sources.Select(s => new RewardColumn(s, "reward_" + Sanitize(s.Name))).ToArray();
    }

    private static string Sanitize(string name) =>
        new(name.Trim().Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray());
}
