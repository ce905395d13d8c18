namespace AlignedGen.Decoding;

/// <summary>
/// Cuts one batch of encoded prompts into consecutive sub-batches whose model caches fit the memory budget: a sub-batch
/// grows while the strategy's cache for all its prompts, padded to its longest prompt plus the new tokens, stays within
/// the budget. Order is kept, and every prompt keeps its own seed, so a split run returns what the whole batch would.
/// </summary>
internal static class BatchMemoryPlan
{
    /// <summary>
    /// The sub-batches as (start, count). <paramref name="cacheBytes"/>(prompts, tokens) is the strategy's estimate; 0
    /// means unknown, and the batch stays whole. Throws <see cref="MemoryBudgetExceededException"/> via
    /// <paramref name="tooLarge"/> when one prompt alone needs more than <paramref name="budget"/>.
    /// </summary>
    public static IReadOnlyList<(int Start, int Count)> Split(IReadOnlyList<int> promptTokens, IReadOnlyList<int> newTokens, long budget,
        Func<int, int, long> cacheBytes, Func<int, int, long, Exception> tooLarge)
    {
        var plan = new List<(int, int)>();
        int start = 0;
        while (start < promptTokens.Count)
        {
            int count = 0, longest = 0;
            while (start + count < promptTokens.Count)
            {
                int i = start + count;
                int tokens = Math.Max(longest, promptTokens[i] + newTokens[i]);
                long bytes = cacheBytes(count + 1, tokens);
                if (bytes <= budget)
                {
                    longest = tokens;
                    count++;
                }
                else if (count == 0) throw tooLarge(i, tokens, bytes);   // alone, padded to nothing but itself
                else break;
            }
            plan.Add((start, count));
            start += count;
        }
        return plan;
    }
}
