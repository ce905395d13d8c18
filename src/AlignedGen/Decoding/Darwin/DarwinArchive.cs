namespace AlignedGen.Decoding;

/// <summary>DARWIN's archive for one request: instructions and the best reward each reached, in insertion order.</summary>
internal sealed class DarwinArchive
{
    private readonly List<string> _order = new();
    private readonly Dictionary<string, float> _reward = new(StringComparer.Ordinal);

    public DarwinArchive(string seedInstruction, float seedReward)
    {
        _order.Add(seedInstruction);
        _reward[seedInstruction] = seedReward;
    }

    public int Count => _order.Count;

    /// <summary>Picks an instruction uniformly at random (one draw from <paramref name="random"/>).</summary>
    public DarwinArchiveEntry Pick(Random random)
    {
        var instruction = _order[random.Next(_order.Count)];
        return new DarwinArchiveEntry(instruction, _reward[instruction]);
    }

    /// <summary>
    /// Offers a beam's instruction with its reward: it joins the archive (or raises its reward there) when the reward
    /// beats <paramref name="parentReward"/> and what the archive already holds for it. Returns true when the archive changed.
    /// </summary>
    public bool Offer(string instruction, float reward, float parentReward)
    {
        if (!(reward > parentReward)) return false;
        if (_reward.TryGetValue(instruction, out var held))
        {
            if (!(reward > held)) return false;
            _reward[instruction] = reward;
            return true;
        }
        _order.Add(instruction);
        _reward[instruction] = reward;
        return true;
    }

    public IReadOnlyList<DarwinArchiveEntry> Entries => _order.Select(i => new DarwinArchiveEntry(i, _reward[i])).ToArray();
}
