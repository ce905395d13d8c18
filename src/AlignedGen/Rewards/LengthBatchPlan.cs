namespace AlignedGen.Rewards;

/// <summary>
/// How the rows of one scoring (or embedding) call are grouped into padded model batches. Sorted: rows ordered by token
/// count (ties keep query order) and cut into runs of at most <c>maxRows</c> so that the token positions fed (each run is
/// padded to its longest row) plus <c>callOverheadTokens</c> per run are as few as possible — a run is split where the
/// padding saved outweighs one more model call. Unsorted: runs of <c>maxRows</c> in query order.
/// Callers write each result back at its row's index, so results come back in query order either way.
/// </summary>
internal sealed class LengthBatchPlan
{
    private LengthBatchPlan(int[] order, (int Start, int Count)[] batches, long realTokens, long paddedTokens)
    {
        Order = order;
        Batches = batches;
        RealTokens = realTokens;
        PaddedTokens = paddedTokens;
    }

    /// <summary>Row indices in the order they are batched.</summary>
    public int[] Order { get; }

    /// <summary>Consecutive ranges of <see cref="Order"/>, one per model call.</summary>
    public IReadOnlyList<(int Start, int Count)> Batches { get; }

    /// <summary>Tokens of all rows, without padding.</summary>
    public long RealTokens { get; }

    /// <summary>Token positions the model is fed: each batch's rows × its longest row.</summary>
    public long PaddedTokens { get; }

    /// <summary>Plans the batches of rows with these token counts (see the class remarks).</summary>
    public static LengthBatchPlan Create(IReadOnlyList<int> lengths, int maxRows, bool sortByLength, int callOverheadTokens)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(callOverheadTokens);
        var n = lengths.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        if (!sortByLength) return Build(lengths, order, FixedCuts(n, maxRows));

        var keys = new int[n];
        for (var i = 0; i < n; i++) keys[i] = lengths[i];
        Array.Sort(keys, order); // unstable: ties are put back in query order below
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            Array.Sort(order, start, end - start);
            start = end;
        }
        return Build(lengths, order, CheapestCuts(keys, maxRows, callOverheadTokens));
    }

    /// <summary>
    /// Dynamic programme over the sorted lengths: best[i] = the least cost of batching the first i rows, where a batch of
    /// rows j..i-1 costs the call overhead plus (i - j) × length[i - 1] (its longest row). O(n × maxRows).
    /// Among equal costs the larger batch wins (fewer calls).
    /// </summary>
    private static List<int> CheapestCuts(int[] sortedLengths, int maxRows, int callOverheadTokens)
    {
        var n = sortedLengths.Length;
        var best = new long[n + 1];
        var from = new int[n + 1];
        for (var i = 1; i <= n; i++)
        {
            best[i] = long.MaxValue;
            for (var j = Math.Max(0, i - maxRows); j < i; j++)
            {
                var cost = best[j] + callOverheadTokens + (long)(i - j) * sortedLengths[i - 1];
                if (cost < best[i])
                {
                    best[i] = cost;
                    from[i] = j;
                }
            }
        }
        var cuts = new List<int>();
        for (var i = n; i > 0; i = from[i]) cuts.Add(i);
        cuts.Reverse();
        return cuts;
    }

    private static List<int> FixedCuts(int n, int maxRows)
    {
        var cuts = new List<int>();
        for (var end = maxRows; end < n; end += maxRows) cuts.Add(end);
        if (n > 0) cuts.Add(n);
        return cuts;
    }

    private static LengthBatchPlan Build(IReadOnlyList<int> lengths, int[] order, List<int> cuts)
    {
        var batches = new (int Start, int Count)[cuts.Count];
        long real = 0, padded = 0;
        var start = 0;
        for (var b = 0; b < cuts.Count; b++)
        {
            var longest = 0;
            for (var k = start; k < cuts[b]; k++)
            {
                real += lengths[order[k]];
                longest = Math.Max(longest, lengths[order[k]]);
            }
            padded += (long)longest * (cuts[b] - start);
            batches[b] = (start, cuts[b] - start);
            start = cuts[b];
        }
        return new LengthBatchPlan(order, batches, real, padded);
    }
}
