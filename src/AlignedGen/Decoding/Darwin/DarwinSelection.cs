namespace AlignedGen.Decoding;

/// <summary>DARWIN's choices over one request's beams: the top states, the replacements, the most-selected beams.</summary>
internal static class DarwinSelection
{
    /// <summary>The <paramref name="keep"/> best beams by reward, best first; ties go to the lower beam index.</summary>
    public static int[] TopStates(ReadOnlySpan<float> rewards, int keep)
    {
        var top = new int[Math.Min(keep, rewards.Length)];
        TokenSampler.TopK(rewards, top);
        return top;
    }

    /// <summary>
    /// Every beam that is neither kept nor finished takes the response of a kept state chosen uniformly at random
    /// (one draw from <paramref name="random"/> per replaced beam, in beam order). Returns (target, source) pairs.
    /// </summary>
    public static List<(int Target, int Source)> PlanReplacements(IReadOnlyList<int> top, IReadOnlyList<bool> finished, Random random)
    {
        var plan = new List<(int, int)>();
        for (int b = 0; b < finished.Count; b++)
        {
            if (finished[b] || top.Contains(b)) continue;
            plan.Add((b, top[random.Next(top.Count)]));
        }
        return plan;
    }

    /// <summary>The (at most <paramref name="count"/>) beams kept most often, most first; ties go to the lower beam index; never-kept beams are left out.</summary>
    public static int[] MostSelected(IReadOnlyList<int> selectionCounts, int count)
        => Enumerable.Range(0, selectionCounts.Count).Where(b => selectionCounts[b] > 0)
            .OrderByDescending(b => selectionCounts[b]).ThenBy(b => b).Take(count).ToArray();
}
