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

    internal void AddToken(int token) => _generated.Add(token);

    internal void Finish(FinishReason reason) => FinishReason = reason;

    internal SequenceRow Copy(int sampleIndex)
        => new(RequestIndex, sampleIndex, PromptTokens, MaxNewTokens, _seed, new List<int>(_generated)) { FinishReason = FinishReason };
}
