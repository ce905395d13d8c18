namespace AlignedGen.Tests.Rewards;

/// <summary>A synchronous IProgress that keeps every report (System.Progress posts asynchronously).</summary>
internal sealed class ListProgress : IProgress<string>
{
    public List<string> Items { get; } = new();

    public void Report(string value)
    {
        lock (Items) Items.Add(value);
    }
}
