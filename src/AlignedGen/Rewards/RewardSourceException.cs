namespace AlignedGen.Rewards;

/// <summary>A reward source misbehaved: wrong score count, NaN or infinite score. Names the source and row.</summary>
public sealed class RewardSourceException : Exception
{
    public RewardSourceException(string sourceName, int? row, string message)
        : base(row is null ? $"Reward source '{sourceName}': {message}" : $"Reward source '{sourceName}', row {row}: {message}")
    {
        SourceName = sourceName;
        Row = row;
    }

    public string SourceName { get; }
    public int? Row { get; }
}
