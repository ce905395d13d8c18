namespace AlignedGen.Decoding;

/// <summary>
/// What one result cost. LM calls and tokens are the row's own (the model calls its rows took part in and the positions
/// they fed, whatever else shared the batch); wall time cannot be split within a batch, so it is the row's share of its
/// batch's time, with the batch's time and size beside it.
/// </summary>
public sealed record GenerationCost
{
    /// <summary>LM forward calls this result's rows took part in (a batched call counts once for each prompt in it).</summary>
    public double LmCalls { get; init; }
    /// <summary>Token positions this result's rows fed the LM (padding excluded; a prompt shared by forked rows counts once).</summary>
    public double LmTokens { get; init; }
    /// <summary>Reward-model calls.</summary>
    public double RewardCalls { get; init; }
    /// <summary>Token positions (or texts, for text rewards) the reward model evaluated.</summary>
    public double RewardTokens { get; init; }
    /// <summary>Wall time attributed to this result: its share of its batch's time (rows decode together; see <see cref="BatchElapsed"/>).</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Wall time of the whole batch this result was decoded in.</summary>
    public TimeSpan BatchElapsed { get; init; }
    /// <summary>Rows in that batch.</summary>
    public int BatchRows { get; init; }
    /// <summary>How the run was shaped for this result, when it differed from the options (e.g. a batch split into sub-batches to fit the memory budget); null otherwise.</summary>
    public string? Note { get; init; }
}
