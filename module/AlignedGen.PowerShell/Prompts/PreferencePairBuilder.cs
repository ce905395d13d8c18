using AlignedGen.PowerShell.Output;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Collects scored responses by group (first-seen order) and turns each group into one chosen/rejected pair: the
/// highest-reward response against the lowest. Groups with fewer than two responses, or whose best and worst differ by
/// less than the margin (or not at all), give no pair. Ties keep the first response seen. No PowerShell types.
/// </summary>
public sealed class PreferencePairBuilder
{
    private readonly Dictionary<string, List<(string Prompt, string Response, double Reward)>> _groups = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>A builder that requires ScoreChosen − ScoreRejected ≥ <paramref name="margin"/> (and &gt; 0).</summary>
    public PreferencePairBuilder(double margin = 0)
    {
        if (!double.IsFinite(margin) || margin < 0)
            throw new ArgumentOutOfRangeException(nameof(margin), margin, $"Margin must be a finite number ≥ 0, got {margin}.");
        Margin = margin;
    }

    /// <summary>The least score difference a pair needs.</summary>
    public double Margin { get; }

    /// <summary>Responses added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a scored response to group <paramref name="group"/>.</summary>
    public void Add(string group, string prompt, string response, double reward)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!double.IsFinite(reward))
            throw new ArgumentOutOfRangeException(nameof(reward), reward, $"The reward of a response in group '{group}' is {reward}; it must be a finite number.");
        if (!_groups.TryGetValue(group, out var list))
        {
            _groups[group] = list = new();
            _order.Add(group);
        }
        list.Add((prompt, response, reward));
        Count++;
    }

    /// <summary>One pair per qualifying group, in the order groups were first seen.</summary>
    public IEnumerable<PreferencePair> Build()
    {
        foreach (var key in _order)
        {
            var list = _groups[key];
            if (list.Count < 2) continue;
            var best = list[0];
            var worst = list[0];
            foreach (var item in list)
            {
                if (item.Reward > best.Reward) best = item;
                if (item.Reward < worst.Reward) worst = item;
            }
            var difference = best.Reward - worst.Reward;
            if (difference <= 0 || difference < Margin) continue;
            yield return new PreferencePair
            {
                Group = key,
                Prompt = best.Prompt,
                Chosen = best.Response,
                Rejected = worst.Response,
                ScoreChosen = best.Reward,
                ScoreRejected = worst.Reward,
                Candidates = list.Count,
            };
        }
    }
}
