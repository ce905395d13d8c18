using System.Globalization;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;

namespace AlignedGen.Cli.Options;

/// <summary>Parses `--shard i/n` (0-based i) into the core's <see cref="ShardSpec"/>, which checks the range.</summary>
public static class ShardText
{
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            throw new ArgumentException($"'{text}' is not INDEX/COUNT. Write e.g. 0/4 for the first of four shards.");
        return new ShardSpec(index, count);
    }
}
