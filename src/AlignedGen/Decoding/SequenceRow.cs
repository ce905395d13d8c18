namespace AlignedGen.Decoding;

/// <summary>One sequence in a <see cref="SequenceBatch"/>: its prompt, generated tokens, finish state and random stream.</summary>
public sealed class SequenceRow
{
    private readonly List<int> _generated;
    private readonly int _seed;
    private Random? _random;

    internal SequenceRow(int requestIndex, int sampleIndex, IReadOnlyList<int> promptTokens, int maxNewTokens, int seed, List<int>? generated = null)
    {
        RequestIndex = requestIndex;
        SampleIndex = sampleIndex;
        PromptTokens = promptTokens;
        MaxNewTokens = maxNewTokens;
        _seed = seed;
        _generated = generated ?? new List<int>();
    }

    /// <summary>Index of the request (prompt) this row belongs to, within the batch.</summary>
    public int RequestIndex { get; }

    /// <summary>Which sample of its request this row is (0 unless forked).</summary>
    public int SampleIndex { get; internal set; }

    /// <summary>The prompt's token ids as the model saw them.</summary>
    public IReadOnlyList<int> PromptTokens { get; }

    /// <summary>Tokens generated so far (EOS excluded).</summary>
    public IReadOnlyList<int> GeneratedTokens => _generated;

    /// <summary>The most tokens this row may generate (max new tokens, capped by the context window).</summary>
    public int MaxNewTokens { get; }

    /// <summary>True once the row stopped.</summary>
    public bool IsFinished => FinishReason != FinishReason.None;

    /// <summary>Why the row stopped (None while running).</summary>
    public FinishReason FinishReason { get; private set; }

    /// <summary>
    /// The row's own random stream, seeded from the run's seed, the prompt's position in the run and the sample index (and the tokens so
    /// far for copies), so results do not depend on batch size or composition.
    /// </summary>
    public Random Random => _random ??= new Random(SeedMixer.Mix(_seed, SampleIndex, _generated.Count));

    /// <summary>The seed the row's random streams derive from (the run's seed mixed with the prompt's position).</summary>
    internal int Seed => _seed;

    /// <summary>Restarts the random stream from the seed, the sample index and the current length (DARWIN's per-segment streams).</summary>
    internal void ResetRandom() => _random = null;

    internal void AddToken(int token) => _generated.Add(token);

    internal void Finish(FinishReason reason) => FinishReason = reason;

    /// <summary>Keeps the first <paramref name="count"/> generated tokens and runs again (the random stream goes on).</summary>
    internal void Rewind(int count)
    {
        _generated.RemoveRange(count, _generated.Count - count);
        FinishReason = FinishReason.None;
    }

    internal SequenceRow Copy(int sampleIndex)
        => new(RequestIndex, sampleIndex, PromptTokens, MaxNewTokens, _seed, new List<int>(_generated)) { FinishReason = FinishReason };

    /// <summary>
    /// This row (same request, sample, prompt, limit and seed) holding <paramref name="source"/>'s response instead of
    /// its own: the source's tokens and finish state, or <see cref="FinishReason.Length"/> when they reach this row's limit.
    /// </summary>
    internal SequenceRow WithResponseOf(SequenceRow source)
    {
        var row = new SequenceRow(RequestIndex, SampleIndex, PromptTokens, MaxNewTokens, _seed, new List<int>(source._generated)) { FinishReason = source.FinishReason };
        if (!row.IsFinished && row._generated.Count >= MaxNewTokens) row.FinishReason = FinishReason.Length;
        return row;
    }
}
